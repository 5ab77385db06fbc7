"""API extras on top of everything else: `function` (`tf.function`'s graph-like
mode and `tf.gradients`), `composite` (SparseTensor, RaggedTensor), `keras` (a
tiny Dense layer), `saved_model` (in-process save/load) and `overloads`
(Python operators on Tensor and Variable)."""
