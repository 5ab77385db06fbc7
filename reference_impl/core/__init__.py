"""The engine's core: data types, the execution trace and the primitive table.

`tensor` (Tensor, TensorShape, IndexedSlices, the Variable and composite
protocols), `dtypes`, `errors` (tf.errors.*), `nest` (nested structures),
`trace` (Primitive, `bind`, the Recorder base class and the recorder stack) and
`registry` (the primitive table, `defvjp`/`defjvp`, rule enumeration and
patching). Nothing here imports anything else of the package.
"""
