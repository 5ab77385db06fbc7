"""Engines that misbehave on purpose, to test that a run survives them.

`fake` is a tiny, well-behaved module standing in for ``tf`` (constants,
``+``/``*`` and a tape whose ``gradient`` returns d(target)/d(source) for
the products it recorded). Every other module is `fake` with one fault,
triggered by ``GradientTape.gradient`` (or at import): use them as
``--engine tests.faulty_engines.<name>``.
"""
