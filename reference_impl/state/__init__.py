"""Stateful objects: `variables` (`tf.Variable`, whose reads are what tapes
record), `module` (`tf.Module`) and `stateful` (`tf.data.Dataset`,
`tf.queue.FIFOQueue`, whose outputs carry no history)."""
