"""The op table: op-level gradient conformance for every public differentiable TF API.

Pipeline: `table` (the data model) ← `families` (the entries, one module per
family) → `registry` (lookup by id) → `directions` (the deterministic points
and directions) → `probe` (runs one check on an engine's public API) →
`cases` (each op × sample × dtype × check as an ordinary `Case`) →
`oracles` (judging against TF's recorded value, float64 finite differences
and the other modes; the blame) → `matrix` (the HTML page). `baseline` holds
TF's recorded results (written by `record`); `api_coverage` lists the
public differentiable API and what covers it. See docs/op-table.md.
"""
