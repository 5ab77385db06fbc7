"""Conformance suite for TensorFlow's automatic differentiation.

Pipeline, imports running one way (a module imports only those above it):

* `errors` (typed errors), `case` / `spec` (the case and its expectation
  grammar), `loader` (YAML case files → `Case`), `shard` (a partition of the
  selected cases by a hash of their ids);
* `engines/` (the `Engine` contract, built-in engines, `engines.tf_state`: TF's
  per-process counters cleared before each case, `engines.replay`: a
  recorded baseline replayed as an engine);
* `execute` (run a program), `observe` (what it left → JSON data),
  `compare` (expectation vs observation, engine vs engine → `Mismatch` with
  a structured path and per-element detail);
* `result` (`Result`, `Divergence`, `RunOutcome`, the statuses);
* `trial` (one case on one engine: execute, observe, judge);
* `isolation/` (worker processes: a `WorkerPool` executor running trials);
* `runner` (`run_cases(cases, executor)`: every case on every engine, and
  divergences from the first engine, the reference point);
* `journal` (results appended as they exist), `xfails` (known-failures
  files), `coverage`, `diff`, `baseline`, `report/` (`record`: the JSON
  record, built in one place; `html`, `repro`), `junit`, `sensitivity`,
  `merge` (records of shards, engines, releases → one record), `scoreboard`
  (many records → one page);
* `fuzz/` (differential fuzzing: random programs as data, run on two
  engines' workers in batches, signatures, shrinking, drafted cases);
* fronts: `cli` (the ``conformance`` command: flags, run plan, exit statuses)
  and `plugin` (pytest).
"""

__version__ = "0.1.0"
