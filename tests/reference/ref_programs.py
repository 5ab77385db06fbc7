"""Small TF programs run on both TensorFlow and the reference engine.

Most come from the observed-behaviour catalog (ids like W15, SP04 in the
names); the rest cover each op's gradient in both modes. Add a program by
adding an entry; `test_differential.py` picks it up.
"""
import textwrap

_PROGRAMS = {}


def program(name, source):
    assert name not in _PROGRAMS, name
    _PROGRAMS[name] = textwrap.dedent(source)


program('G01_variable_square', '''
x = tf.Variable(3.0)
with tf.GradientTape() as tape:
  y = x**2
show('dy_dx', tape.gradient(y, x))
''')

program('G02_structures', '''
import collections
w = tf.Variable([[1., 2.], [3., 4.], [5., 6.]], name='w')
b = tf.Variable(tf.zeros(2, dtype=tf.float32), name='b')
x = [[1., 2., 3.]]
with tf.GradientTape(persistent=True) as tape:
  y = x @ w + b
  loss = tf.reduce_mean(y**2)
show('loss', loss)
show('list', tape.gradient(loss, [w, b]))
show('dict', tape.gradient(loss, {'w': w, 'b': b}))
a = tf.Variable(1.0); b = tf.Variable(2.0); c = tf.Variable(3.0)
with tf.GradientTape(persistent=True) as tape:
  y = a * b * c
show('tuple', tape.gradient(y, (a, b)))
show('nested', tape.gradient(y, {'z': [a, (b,)], 'c': {'k': c}}))
Pt = collections.namedtuple('Pt', 'p q')
show('namedtuple', tape.gradient(y, Pt(a, c)))
show('dict order', list(tape.gradient(y, {'zz': a, 'aa': b}).keys()))
''')

program('W01_what_is_watched', '''
x0 = tf.Variable(3.0, name='x0')
x1 = tf.Variable(3.0, name='x1', trainable=False)
x2 = tf.Variable(2.0, name='x2') + 1.0
x3 = tf.constant(3.0, name='x3')
with tf.GradientTape() as tape:
  y = (x0**2) + (x1**2) + (x2**2)
show('grads', tape.gradient(y, [x0, x1, x2, x3]))
show('watched', [v.name for v in tape.watched_variables()])
''')

program('W02_watched_variables_order', '''
a = tf.Variable(1.0, name='weight')
b = tf.Variable(2.0, name='bias')
c = tf.Variable(3.0, name='weight')
g = tf.GradientTape()
show('before', g.watched_variables())
with g:
  y = c * b + a
show('names', [v.name for v in g.watched_variables()])
show('identity', [v is w for v, w in zip(g.watched_variables(), [a, b, c])])
''')

program('W03_constant_needs_watch', '''
x = tf.constant(3.0)
with tf.GradientTape() as tape:
  tape.watch(x)
  y = x**2
show('watched', tape.gradient(y, x))
with tf.GradientTape() as tape:
  y = x**2
show('unwatched', tape.gradient(y, x))
''')

program('W04_unwatched_constant_feeding_recorded_op', '''
a = tf.Variable(2.0); c = tf.constant(4.0)
with tf.GradientTape(persistent=True) as g:
  y = a * c
show('grads', g.gradient(y, [a, c]))
show('zero', g.gradient(y, [a, c], unconnected_gradients='zero'))
''')

program('IS04_sparse_plus_sparse_order', '''
v = tf.Variable([1., 2., 3.])
with tf.GradientTape(persistent=True) as g:
  b = tf.reduce_sum(tf.gather(v, [0])) + tf.reduce_sum(tf.gather(v, [2]))
  c = tf.reduce_sum(tf.gather(v, [2])) * tf.reduce_sum(tf.gather(v, [1, 0]))
show('b', g.gradient(b, v))
show('c', g.gradient(c, v))
show('b zero', g.gradient(b, v, unconnected_gradients='zero'))
''')

program('W05_watch_accessed_false', '''
x0 = tf.Variable(0.0)
x1 = tf.Variable(10.0)
with tf.GradientTape(watch_accessed_variables=False) as tape:
  tape.watch(x1)
  y0 = tf.math.sin(x0)
  y1 = tf.nn.softplus(x1)
  ys = tf.reduce_sum(y0 + y1)
show('grad', tape.gradient(ys, {'x0': x0, 'x1': x1}))
show('watched', [v.name for v in tape.watched_variables()])
''')

program('W07_watch_int_and_string', '''
x = tf.constant(10)
with tf.GradientTape() as g:
  g.watch(x)
  y = x * x
show('int grad', g.gradient(y, x))
s = tf.constant('abc')
with tf.GradientTape() as g:
  g.watch(s)
  n = tf.strings.length(s)
show('n', n)
expect(lambda: g.gradient(n, s), 'string grad')
''')

program('W08_warning_rate_limit', '''
for i in range(7):
  with tf.GradientTape() as g:
    g.watch(tf.constant(i))
  show('iteration', i)
with tf.GradientTape() as g:
  g.watch(tf.constant(0))
show('second call site', 0)
''')

program('W10_watch_non_tensors', '''
with tf.GradientTape() as g:
  expect(lambda: g.watch(3.0), 'float')
  expect(lambda: g.watch(np.array([1.0, 2.0])), 'ndarray')
  expect(lambda: g.watch([tf.constant(1.0), 'a']), 'list with str')
  expect(lambda: g.watch(None), 'None')
''')

program('W11_W13_watch_structures_and_timing', '''
a = tf.constant(1.0); b = tf.constant(2.0)
with tf.GradientTape() as g:
  g.watch({'a': a, 'rest': [b]})
  y = a * b
show('grads', g.gradient(y, [a, b]))
x = tf.constant(3.0)
with tf.GradientTape() as g:
  y = x * x
  g.watch(x)
  z = y * x
show('dz_dx', g.gradient(z, x))
''')

program('W12_watch_outside_context', '''
x = tf.constant(2.0)
g = tf.GradientTape()
expect(lambda: g.watch(x), 'before enter')
with g:
  y = x * x
expect(lambda: g.gradient(y, x), 'gradient')
with tf.GradientTape(persistent=True) as g2:
  pass
expect(lambda: g2.watch(x), 'after exit')
z = x * x
expect(lambda: g2.gradient(z, x), 'op after exit')
''')

program('W14_W15_explicit_and_int_variables', '''
v = tf.Variable(3.0, trainable=False, name='frozen')
with tf.GradientTape() as g:
  g.watch(v)
  y = v * v
show('frozen grad', g.gradient(y, v))
v = tf.Variable(1.0, name='v'); c = tf.constant(2.0)
with tf.GradientTape() as g:
  g.watch(v); g.watch(v); g.watch(c); g.watch(c)
  y = v * c + v
show('watched', [w.name for w in g.watched_variables()])
show('grads', g.gradient(y, [v, c]))
iv = tf.Variable(3)
with tf.GradientTape() as g:
  y = iv * iv
show('int trainable', iv.trainable)
show('int watched', [w.name for w in g.watched_variables()])
show('int grad', g.gradient(y, iv))
''')

program('W16_W17_reads_inside', '''
with tf.GradientTape() as g:
  v = tf.Variable(2.0, name='inside')
  y = v * v
show('grad', g.gradient(y, v))
a = tf.Variable(1.0, name='a'); b = tf.Variable(2.0, name='b'); c = tf.Variable(3.0, name='c')
with tf.GradientTape() as g:
  _ = b.numpy()
  _ = tf.identity(a)
  _ = c + 0.0
  y = tf.constant(1.0) * 2
show('watched', [v.name for v in g.watched_variables()])
show('grads', g.gradient(y, [a, b, c]))
''')

program('I01_P01_intermediate_persistent', '''
x = tf.constant([1, 3.0])
with tf.GradientTape(persistent=True) as tape:
  tape.watch(x)
  y = x * x
  z = y * y
show('dz_dx', tape.gradient(z, x))
show('dy_dx', tape.gradient(y, x))
show('dz_dy', tape.gradient(z, y))
''')

program('P02_P03_one_shot', '''
x = tf.Variable(2.0)
with tf.GradientTape() as tape:
  y1 = x**2
  y2 = x**3
show('first', tape.gradient(y1, x))
expect(lambda: tape.gradient(y2, x), 'second')
expect(lambda: tape.jacobian(y2, x), 'jacobian after')
show('watched after use', [v.name for v in tape.watched_variables()])
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as tape:
  tape.watch(x)
  y = x * x
show('jacobian', tape.jacobian(y, x))
expect(lambda: tape.gradient(y, x), 'gradient after jacobian')
''')

program('P05_P06_P07_messages', '''
x = tf.constant([[1.0, 2.0]])
with tf.GradientTape() as tape:
  tape.watch(x)
  y = x * x
show('gradient', tape.gradient(y, x))
expect(lambda: tape.batch_jacobian(y, x), 'batch_jacobian after')
g = tf.GradientTape()
expect(lambda: g.gradient(x, x), 'never entered')
gp = tf.GradientTape(persistent=True)
expect(lambda: gp.gradient(x, x), 'persistent never entered')
v = tf.Variable(2.0)
with tf.GradientTape() as g:
  y = v * v
expect(lambda: g.gradient(None, v), 'None target')
expect(lambda: g.gradient(y, v), 'retry')
''')

program('T01_T03_targets_summed', '''
x = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
  y0 = x**2
  y1 = 1 / x
  a = x * 1.0; b = x * 10.0; c = x * 100.0
  yv = x * [3., 4.]
show('dict targets', tape.gradient({'y0': y0, 'y1': y1}, x))
show('nested', tape.gradient([a, (b, {'k': c})], x))
show('twice', tape.gradient([a, a], x))
show('vector target', tape.gradient(yv, x))
''')

program('T05_sigmoid_linspace', '''
x = tf.linspace(-10.0, 10.0, 200+1)
with tf.GradientTape() as tape:
  tape.watch(x)
  y = tf.nn.sigmoid(x)
d = tape.gradient(y, x)
show('shape', d.shape)
show('d[100]', d[100])
show('d[0]', d[0])
show('sum', tf.reduce_sum(d))
''')

program('T06_T08_T09_bad_targets_sources', '''
x = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as g:
  y = x * x
expect(lambda: g.gradient([y, None], x), 'None in targets')
expect(lambda: g.gradient(3.0, x), 'float target')
expect(lambda: g.gradient(np.float32(3.0), x), 'np target')
expect(lambda: g.gradient(y, 2.0), 'float source')
expect(lambda: g.gradient(y, np.array(2.0, np.float32)), 'ndarray source')
expect(lambda: g.gradient(y, None), 'None source')
expect(lambda: g.gradient(y, [x, None]), 'None in sources')
''')

program('T07_T10_T11_variable_targets', '''
x = tf.Variable(2.0)
y_out = x * x
with tf.GradientTape(persistent=True) as g:
  y = x * 3.0
show('x,x', g.gradient(x, x))
show('other var', g.gradient(tf.Variable(5.0), x))
show('outside target', g.gradient(y_out, x))
c = tf.constant(3.0)
with tf.GradientTape(persistent=True) as g:
  g.watch(c)
show('c,c', g.gradient(c, c))
show('c,c zero', g.gradient(c, c, unconnected_gradients='zero'))
v = tf.Variable(3.0)
with tf.GradientTape() as g2:
  yy = v * v
show('[v, v]', g2.gradient(yy, [v, v]))
''')

program('T13_N04_int_paths', '''
x = tf.Variable(2.7)
with tf.GradientTape(persistent=True) as g:
  yi = tf.cast(x, tf.int32)
  yf = tf.cast(tf.cast(x, tf.int32), tf.float32) * 2.0
show('yi', yi)
show('int target', g.gradient(yi, x))
show('yf', yf)
show('through int', g.gradient(yf, x))
''')

program('O01_O02_output_gradients', '''
x = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as g:
  y = x * tf.constant([3., 4.])
  a = x * 3.0
  b = x * x
show('default', g.gradient(y, x))
show('tensor og', g.gradient(y, x, output_gradients=tf.constant([10., 100.])))
show('list og', g.gradient(y, x, output_gradients=[tf.constant([10., 100.])]))
show('python list og', g.gradient(y, x, output_gradients=[10., 100.]))
show('scalar og', g.gradient(y, x, output_gradients=tf.constant(2.0)))
show('two targets', g.gradient([a, b], x, output_gradients=[tf.constant(1.), tf.constant(2.)]))
expect(lambda: g.gradient([a, b], x, output_gradients=[None, tf.constant(2.)]), 'None og')
expect(lambda: g.gradient(y, x, output_gradients=tf.constant([1., 2.], tf.float64)), 'f64 og')
''')

program('C01_C02_control_flow', '''
x = tf.constant(1.0)
v0 = tf.Variable(2.0); v1 = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
  tape.watch(x)
  if x > 0.0:
    result = v0
  else:
    result = v1**2
show('dv', tape.gradient(result, [v0, v1]))
show('dx', tape.gradient(result, x))
x = tf.Variable(1.5)
with tf.GradientTape() as g:
  y = x
  n = 0
  while y < 10.0:
    y = y * 2.0
    n += 1
show('n', n)
show('grad', g.gradient(y, x))
''')

program('N01_N02_N03_disconnected', '''
x = tf.Variable(2.); y = tf.Variable(3.)
with tf.GradientTape() as tape:
  z = y * y
show('unconnected', tape.gradient(z, x))
x = tf.Variable(2.0)
for epoch in range(2):
  with tf.GradientTape() as tape:
    y = x + 1
  show('epoch', tape.gradient(y, x))
  x = x + 1
x = tf.Variable([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float32)
with tf.GradientTape() as tape:
  x2 = x**2
  y = np.mean(x2, axis=0)
  show('np type', type(y).__name__)
  y = tf.reduce_mean(y, axis=0)
show('y', y)
show('grad', tape.gradient(y, x))
with tf.GradientTape() as tape2:
  z = tf.constant((x * 2.0).numpy()) * 1.0
show('via numpy', tape2.gradient(z, x))
''')

program('N06_N07_mixed_and_stateful', '''
x = tf.Variable(2.0)
with tf.GradientTape() as g:
  expect(lambda: x * tf.constant(3), 'float * int tensor')
  expect(lambda: x * 3, 'float * python int')
  expect(lambda: tf.constant(1) * 2.5, 'int tensor * 2.5')
  expect(lambda: tf.constant(1.0) + tf.constant(1.0, tf.float64), 'f32 + f64')
x0 = tf.Variable(3.0); x1 = tf.Variable(0.0)
with tf.GradientTape() as tape:
  x1.assign_add(x0)
  y = x1**2
show('assign_add', tape.gradient(y, x0))
''')

program('N10_nondifferentiable_ops', '''
x = tf.Variable([1.3, -2.7])
with tf.GradientTape(persistent=True) as g:
  r = tf.round(x); f = tf.floor(x); c = tf.math.ceil(x); s = tf.sign(x)
  am = tf.cast(tf.argmax(x), tf.float32)
for name, t in [('round', r), ('floor', f), ('ceil', c), ('sign', s), ('argmax', am)]:
  show(name, g.gradient(t, x))
''')

program('U01_U02_unconnected', '''
x = tf.Variable([2., 2.]); y = tf.Variable(3.)
with tf.GradientTape(persistent=True) as tape:
  z = y**2
show('ZERO', tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))
show('zero', tape.gradient(z, x, unconnected_gradients='zero'))
show('none', tape.gradient(z, x, unconnected_gradients='none'))
show('values', [u.value for u in tf.UnconnectedGradients])
expect(lambda: tape.gradient(z, x, unconnected_gradients='ZERO'), 'ZERO str')
expect(lambda: tape.gradient(z, y, unconnected_gradients='foo'), 'foo')
a = tf.Variable([1., 2.], dtype=tf.float64); i = tf.constant([1, 2]); v = tf.Variable(3.)
with tf.GradientTape(persistent=True) as g:
  g.watch(i)
  z = v * 2.0
show('mixed dtypes', g.gradient(z, [a, i, v], unconnected_gradients='zero'))
''')

program('S01_S02_stop', '''
x = tf.Variable(2.0); y = tf.Variable(3.0)
with tf.GradientTape() as t:
  y_sq = y**2
  z = x**2 + tf.stop_gradient(y_sq)
show('stop_gradient', t.gradient(z, {'x': x, 'y': y}))
with tf.GradientTape() as t:
  x_sq = x * x
  with t.stop_recording():
    y_sq = y * y
  z = x_sq + y_sq
show('stop_recording', t.gradient(z, {'x': x, 'y': y}))
show('watched', [v.name for v in t.watched_variables()])
c = tf.constant(4.0)
with tf.GradientTape() as tape2:
  tape2.watch(c)
  with tape2.stop_recording():
    yc = c ** 2
show('watched under stop', tape2.gradient(yc, c))
''')

program('S04_S05_S08_errors', '''
g = tf.GradientTape()
def use(tape):
  with tape.stop_recording():
    pass
  return 'ok'
expect(lambda: use(g), 'stop before enter')
expect(lambda: g.reset(), 'reset before enter')
with g:
  pass
expect(lambda: use(g), 'stop after exit')
expect(lambda: g.reset(), 'reset after exit')
with tf.GradientTape() as g3:
  def nested():
    with g3.stop_recording():
      with g3.stop_recording():
        pass
    return 'ok'
  expect(nested, 'nested stop')
g4 = tf.GradientTape()
def reenter():
  with g4:
    with g4:
      pass
expect(reenter, 're-enter')
''')

program('S05_S09_reset_reenter', '''
x = tf.Variable(2.0); y = tf.Variable(3.0)
with tf.GradientTape() as t:
  y_sq = y * y
  t.reset()
  z = x * x + y_sq
show('after reset', t.gradient(z, {'x': x, 'y': y}))
show('watched', [v.name for v in t.watched_variables()])
c = tf.constant(3.0)
with tf.GradientTape() as t:
  t.watch(c)
  t.reset()
  y = c * c
show('watch then reset', t.gradient(y, c))
x = tf.constant(3.0)
g = tf.GradientTape()
with g:
  g.watch(x)
  y = x * x
w = y * x
with g:
  z = y * x
show('re-entered', g.gradient(z, x))
''')

program('S07_stop_gradient_variable', '''
v = tf.Variable(3.0)
with tf.GradientTape() as g:
  s = tf.stop_gradient(v)
  y = s * v
show('grad', g.gradient(y, v))
''')

program('M01_M02_M04_nested_tapes', '''
x0 = tf.constant(0.0); x1 = tf.constant(0.0)
with tf.GradientTape() as tape0, tf.GradientTape() as tape1:
  tape0.watch(x0)
  tape1.watch(x1)
  ys = tf.reduce_sum(tf.math.sin(x0) + tf.nn.sigmoid(x1))
show('tape0', tape0.gradient(ys, x0))
show('tape1', tape1.gradient(ys, x1))
x = tf.Variable(1.0)
with tf.GradientTape() as t2:
  with tf.GradientTape() as t1:
    y = x * x * x
  dy_dx = t1.gradient(y, x)
show('d1', dy_dx)
show('d2', t2.gradient(dy_dx, x))
with tf.GradientTape() as t2:
  with tf.GradientTape() as t1:
    y = x * x * x
dy_dx = t1.gradient(y, x)
show('d2 outside', t2.gradient(dy_dx, x))
''')

program('M05_M06_gradient_inside_context', '''
x = tf.Variable(3.0)
with tf.GradientTape() as g:
  y = x * x
  dy = g.gradient(y, x)
  show('inside', dy)
  z = x * x * x
expect(lambda: g.gradient(z, x), 'second call')
with tf.GradientTape(persistent=True) as g:
  y = x * x
  for i in range(3):
    d1 = g.gradient(y, x)
  d2 = g.gradient(y, x)
show('d2', d2)
show('second order', g.gradient(d1, x))
''')

program('M08_hessian', '''
x = tf.reshape(tf.range(35, dtype=tf.float32), [7, 5]) / 35.0
w1 = tf.Variable(tf.reshape(tf.sin(tf.range(40, dtype=tf.float32)), [5, 8]))
w2 = tf.Variable(tf.reshape(tf.cos(tf.range(48, dtype=tf.float32)), [8, 6]))
with tf.GradientTape() as t2:
  with tf.GradientTape() as t1:
    h = tf.nn.relu(x @ w1)
    o = tf.nn.relu(h @ w2)
    loss = tf.reduce_mean(o**2)
  g = t1.gradient(loss, w1)
h = t2.jacobian(g, w1)
show('shape', h.shape)
show('hessian', h)
''')

program('M09_third_derivative', '''
x = tf.Variable(2.0)
with tf.GradientTape() as t3:
  with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
      y = x ** 4
    d1 = t1.gradient(y, x)
  d2 = t2.gradient(d1, x)
d3 = t3.gradient(d2, x)
show('d', [d1, d2, d3])
''')

program('J01_J03_jacobian_shapes', '''
x = tf.linspace(-10.0, 10.0, 200+1)
delta = tf.Variable(0.0)
with tf.GradientTape() as tape:
  y = tf.nn.sigmoid(x + delta)
j = tape.jacobian(y, delta)
show('scalar source', j.shape)
show('j[100]', j[100])
x = tf.reshape(tf.range(35, dtype=tf.float32), [7, 5]) / 10.0 - 1.0
w = tf.Variable(tf.reshape(tf.sin(tf.range(50, dtype=tf.float32)), [5, 10]))
with tf.GradientTape(persistent=True) as tape:
  y = tf.nn.relu(x @ w)
j = tape.jacobian(y, w)
show('j.shape', j.shape)
g = tape.gradient(y, w)
show('sum == gradient', tf.reduce_max(tf.abs(g - tf.reduce_sum(j, axis=[0, 1]))) < 1e-4)
''')

program('J04_J05_pfor_options', '''
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as g:
  g.watch(x)
  y = x * x
expect(lambda: g.jacobian(y, x, experimental_use_pfor=False), 'pfor False')
expect(lambda: g.jacobian(y, x), 'afterwards')
x = tf.constant([1.0, 2.0, 3.0])
with tf.GradientTape(persistent=True) as g:
  g.watch(x)
  y = tf.sin(x) * x[0]
show('pfor', g.jacobian(y, x))
show('loop', g.jacobian(y, x, experimental_use_pfor=False))
expect(lambda: g.jacobian(y, x, parallel_iterations=1), 'parallel 1')
show('loop parallel 1', g.jacobian(y, x, experimental_use_pfor=False, parallel_iterations=1))
''')

program('J06_J07_J08_jacobian_structures', '''
x = tf.constant([1.0, 2.0]); u = tf.constant([[1.0, 2.0, 3.0]])
with tf.GradientTape(persistent=True) as g:
  g.watch(x); g.watch(u)
  y = x * x
show('NONE', g.jacobian(y, u))
show('ZERO', g.jacobian(y, u, unconnected_gradients='zero'))
a = tf.Variable([1.0, 2.0]); b = tf.Variable(3.0)
with tf.GradientTape(persistent=True) as g:
  y = a * b
  y2 = a * 3.0
show('list', g.jacobian(y, [a, b]))
show('dict', g.jacobian(y, {'a': a, 'b': b}))
expect(lambda: g.jacobian([y, y2], a), 'list target')
x = tf.constant([1.0, 2.0, 3.0], dtype=tf.float64)
with tf.GradientTape(persistent=True) as g:
  g.watch(x)
  s = tf.reduce_sum(x ** 2)
show('f64 jacobian', g.jacobian(s, x))
''')

program('J09_jacobian_of_gather_is_dense', '''
v = tf.Variable([10.0, 20.0, 30.0])
with tf.GradientTape(persistent=True) as g:
  y = tf.gather(v, [2, 0])
show('gradient', g.gradient(y, v))
''')

program('BJ01_BJ02_batch_jacobian', '''
x = tf.constant([[1., 2.], [3., 4.]])
with tf.GradientTape() as g:
  g.watch(x)
  y = x * x
show('docstring', g.batch_jacobian(y, x))
x = tf.reshape(tf.range(35, dtype=tf.float32), [7, 5]) / 35.0
w1 = tf.reshape(tf.sin(tf.range(40, dtype=tf.float32)), [5, 8])
w2 = tf.reshape(tf.cos(tf.range(48, dtype=tf.float32)), [8, 6])
with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
  tape.watch(x)
  y = tf.nn.elu(tf.nn.elu(x @ w1) @ w2)
j = tape.jacobian(y, x)
show('j.shape', j.shape)
jb = tape.batch_jacobian(y, x)
show('jb', jb)
show('sum', tf.reduce_sum(j, axis=2))
''')

program('BJ03_BJ04_BJ05_BJ06_batch_jacobian_edges', '''
x = tf.constant([[1., 2.], [3., 4.]]); v = tf.constant([1., 2.]); u = tf.constant([[5.], [6.]])
with tf.GradientTape(persistent=True) as g:
  g.watch(x); g.watch(v); g.watch(u)
  y = tf.reduce_sum(x) * tf.ones([3, 2])
  r1 = v * v
  yy = x * x
  c = x - tf.reduce_mean(x, axis=0)
expect(lambda: g.batch_jacobian(y, x), 'batch mismatch')
expect(lambda: g.batch_jacobian(r1, v), 'rank 1')
expect(lambda: g.batch_jacobian(x * 2.0, [x]), 'list source')
show('unconnected', g.batch_jacobian(yy, u))
show('unconnected zero', g.batch_jacobian(yy, u, unconnected_gradients='zero'))
show('pfor False persistent', g.batch_jacobian(yy, x, experimental_use_pfor=False))
show('coupled', g.batch_jacobian(c, x))
with tf.GradientTape() as g2:
  g2.watch(x)
  y2 = x * x
expect(lambda: g2.batch_jacobian(y2, x, experimental_use_pfor=False), 'pfor False')
''')

program('F01_forward_basics', '''
x = tf.constant(2.0)
with tf.autodiff.ForwardAccumulator(primals=x, tangents=tf.constant(1.0)) as acc:
  y = x ** 3
show('jvp(y)', acc.jvp(y))
show('jvp(x)', acc.jvp(x))
v = tf.Variable([1.0, 2.0])
with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 1.0])) as acc:
  y = tf.reduce_sum(v * v)
  r = v.read_value()
show('var jvp', acc.jvp(y))
show('jvp(v)', acc.jvp(v))
show('jvp(read)', acc.jvp(r))
''')

program('F03_F04_F05_nesting', '''
primal = tf.constant(1.1)
with tf.autodiff.ForwardAccumulator(primal, tf.constant(1.)) as outer:
  with tf.autodiff.ForwardAccumulator(primal, tf.constant(1.)) as inner:
    primal_out = primal ** tf.constant(3.5)
inner_jvp = inner.jvp(primal_out)
show('inner', inner_jvp)
show('outer of inner', outer.jvp(inner_jvp))
show('outer', outer.jvp(primal_out))
show('reversed', inner.jvp(outer.jvp(primal_out)))
v = tf.Variable([1., 2.])
with tf.autodiff.ForwardAccumulator(v, tf.constant([1., 0.])) as acc:
  with tf.GradientTape() as tape:
    y = tf.reduce_sum(v ** 3.)
  backward = tape.gradient(y, v)
show('backward', backward)
show('hvp', acc.jvp(backward))
x = tf.constant(2.0)
with tf.GradientTape() as tape:
  tape.watch(x)
  with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
    y = x ** 3
  j = acc.jvp(y)
show('jvp', j)
show('d jvp', tape.gradient(j, x))
''')

program('F06_F08_F11_forward_edges', '''
x = tf.constant(2.0); c = tf.constant([1.0, 2.0])
with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
  y = c * 3.0
show('NONE', acc.jvp(y))
show('ZERO', acc.jvp(y, unconnected_gradients=tf.UnconnectedGradients.ZERO))
show('zero', acc.jvp(y, unconnected_gradients='zero'))
expect(lambda: acc.jvp(y, unconnected_gradients='foo'), 'foo')
expect(lambda: acc.jvp(3.0), 'float')
show('structure', acc.jvp([x, y]))
expect(lambda: tf.autodiff.ForwardAccumulator([x, x], [tf.constant(1.), tf.constant(2.)]), 'dup')
acc = tf.autodiff.ForwardAccumulator(x, tf.constant(1.0))
show('before enter', acc.jvp(x))
with acc:
  y = x * x
z = y * x
show('after exit', acc.jvp(y))
show('computed after exit', acc.jvp(z))
def reenter():
  with acc:
    with acc:
      pass
expect(reenter, 're-enter')
''')

program('F09_F10_forward_dtypes', '''
i = tf.constant(3)
with tf.autodiff.ForwardAccumulator(i, tf.constant(1)) as acc:
  y = i * i
show('int jvp', acc.jvp(y))
show('int primal', acc.jvp(i))
x = tf.constant([1.0, 2.0])
expect(lambda: tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 2.0], tf.float64)), 'f64 tangent')
s = tf.constant(2.0)
with tf.autodiff.ForwardAccumulator(s, 1) as acc2:
  z = s * 3.0
show('python tangent', acc2.jvp(z))
''')

program('F12_F13_F14_forward_special', '''
@tf.function
def f(x):
  with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:
    y = tf.sin(x)
  return acc.jvp(y)
show('in tf.function', f(tf.constant([0.0, 1.0])))
@tf.custom_gradient
def clip_gradients(y):
  def backward(dy):
    return tf.clip_by_value(dy, -0.5, 0.5)
  return y, backward
v = tf.constant(2.0)
with tf.autodiff.ForwardAccumulator(v, tf.constant(1.0)) as acc2:
  o = clip_gradients(v * v)
show('custom grad fwd', acc2.jvp(o))
x = tf.constant([-1.0, 0.0, 1.0])
with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:
  r = tf.nn.relu(x); a = tf.abs(x); s = tf.sqrt(tf.abs(x))
show('relu', acc.jvp(r)); show('abs', acc.jvp(a)); show('sqrt abs', acc.jvp(s))
x = tf.constant(2.0)
with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
  a = tf.stop_gradient(x) * 3.0
  b = tf.cast(tf.cast(x, tf.int32), tf.float32)
  c = tf.where(x > 1.0, x * x, 0.0)
show('stop', acc.jvp(a)); show('int cast', acc.jvp(b)); show('where', acc.jvp(c))
x0 = tf.constant(0.0)
with tf.autodiff.ForwardAccumulator(x0, tf.constant(1.0)) as acc0:
  w = tf.where(x0 < 1.0, 0.0, 1.0 / x0)
show('where trap fwd', acc0.jvp(w))
''')

program('CG01_CG02_CG03_custom_gradient', '''
def log1pexp_naive(x):
  return tf.math.log(1 + tf.exp(x))
@tf.custom_gradient
def log1pexp(x):
  e = tf.exp(x)
  def grad(upstream):
    return upstream * (1 - 1 / (1 + e))
  return tf.math.log(1 + e), grad
x = tf.constant(100.)
with tf.GradientTape(persistent=True) as tape:
  tape.watch(x)
  y0 = log1pexp_naive(x)
  y1 = log1pexp(x)
show('values', [y0, y1])
show('naive', tape.gradient(y0, x))
show('custom', tape.gradient(y1, x))
@tf.custom_gradient
def bar(x, y):
  def grad(upstream):
    return upstream * y, upstream * x
  return x * y, grad
a = tf.constant(2.0); b = tf.constant(3.0)
with tf.GradientTape(persistent=True) as tape:
  tape.watch(a); tape.watch(b)
  z = bar(a, b)
show('bar', [z, tape.gradient(z, a), tape.gradient(z, b)])
@tf.custom_gradient
def clip_gradients(y):
  def backward(dy):
    return tf.clip_by_norm(dy, 0.5) if hasattr(tf, 'clip_by_norm') else tf.clip_by_value(dy, -0.5, 0.5)
  return y, backward
v = tf.Variable(2.0)
with tf.GradientTape() as t:
  output = clip_gradients(v * v)
show('clipped', t.gradient(output, v))
''')

program('CG04_CG05_custom_gradient_variables', '''
weights = tf.Variable(tf.ones([2]))
@tf.custom_gradient
def linear_poly(x):
  poly = weights[1] * x + weights[0]
  def grad_fn(dpoly, variables):
    grad_xs = dpoly * weights[1]
    dy_dw = dpoly * tf.stack([x ** 1, x ** 0])
    return grad_xs, [tf.reduce_sum(tf.reshape(dy_dw, [2, -1]), axis=1)]
  return poly, grad_fn
x = tf.constant([1., 2., 3.])
with tf.GradientTape(persistent=True) as tape:
  tape.watch(x)
  poly = linear_poly(x)
show('poly', poly)
show('dx', tape.gradient(poly, x))
show('dw', tape.gradient(poly, weights))
w = tf.Variable(2.0, name='w')
@tf.custom_gradient
def f(x):
  def grad(dy):
    return dy * w
  return x * w, grad
x = tf.constant(3.0)
def run():
  with tf.GradientTape() as g:
    g.watch(x)
    y = f(x)
  return g.gradient(y, x)
expect(run, 'missing variables kwarg')
@tf.custom_gradient
def two(x, y):
  def grad(dy):
    return dy
  return x * y, grad
@tf.custom_gradient
def none_for_y(x, y):
  def grad(dy):
    return dy * y, None
  return x * y, grad
a = tf.constant(2.0); b = tf.constant(3.0)
with tf.GradientTape(persistent=True) as g:
  g.watch(a); g.watch(b)
  z1 = two(a, b)
  z2 = none_for_y(a, b)
expect(lambda: g.gradient(z1, [a, b]), 'wrong count')
expect(lambda: g.gradient(z2, [a, b]), 'None grad')
''')

program('TF01_tf_function', '''
@tf.function
def f(x):
  if x > 0:
    return x * x * x
  return -x
x = tf.Variable(2.0)
with tf.GradientTape() as g:
  y = f(x)
show('y', y)
show('grad', g.gradient(y, x))
w = tf.Variable(3.0, name='w_captured')
@tf.function
def h(x):
  return w * x
with tf.GradientTape() as g:
  y = h(tf.constant(2.0))
show('captured', g.gradient(y, w))
show('watched', [v.name for v in g.watched_variables()])
@tf.function
def grad_inside(x):
  with tf.GradientTape() as t:
    t.watch(x)
    y = x ** 3
  return t.gradient(y, x)
show('inside', grad_inside(tf.constant(2.0)))
''')

program('IS01_IS03_IS04_indexed_slices', '''
v = tf.Variable([[1., 2.], [3., 4.], [5., 6.]])
with tf.GradientTape() as g:
  y = tf.reduce_sum(tf.gather(v, [2, 0]))
gr = g.gradient(y, v)
show('grad', gr)
show('dense', tf.convert_to_tensor(gr))
t = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
with tf.GradientTape() as g:
  g.watch(t)
  y = tf.reduce_sum(tf.gather(t, [2, 0]))
show('tensor source', g.gradient(y, t))
v = tf.Variable([1., 2., 3.])
with tf.GradientTape(persistent=True) as g:
  y = tf.reduce_sum(tf.gather(v, [1, 1, 0]))
  a = tf.reduce_sum(tf.gather(v, [0])) + tf.reduce_sum(v * 2.0)
show('duplicates', g.gradient(y, v))
show('dup dense', tf.convert_to_tensor(g.gradient(y, v)))
show('sparse + dense', g.gradient(a, v))
emb = tf.Variable(tf.reshape(tf.range(8, dtype=tf.float32), [4, 2]))
with tf.GradientTape() as g:
  e = tf.nn.embedding_lookup(emb, [1, 3])
  y = tf.reduce_sum(e * tf.constant([[1., 2.], [3., 4.]]))
show('embedding', g.gradient(y, emb))
''')

program('SP01_SP03_kinks', '''
x = tf.constant([-1.0, 0.0, 1.0])
with tf.GradientTape(persistent=True) as g:
  g.watch(x)
  r = tf.nn.relu(x)
  a = tf.abs(x)
show('relu', g.gradient(r, x))
show('abs', g.gradient(a, x))
x = tf.constant([0.0, 4.0, -1.0])
with tf.GradientTape(persistent=True) as g:
  g.watch(x)
  s = tf.sqrt(x)
  p = x ** 0.5
show('sqrt', s)
show('d sqrt', g.gradient(s, x))
show('d pow', g.gradient(p, x))
''')

program('SP04_SP05_ties', '''
x = tf.constant([1.0, 3.0, 3.0])
m3 = tf.constant([5.0, 5.0, 5.0, 1.0])
n = tf.constant([2.0, 1.0, 1.0])
with tf.GradientTape(persistent=True) as g:
  g.watch([x, m3, n])
  a = tf.reduce_max(x)
  b = tf.reduce_max(m3)
  c = tf.reduce_min(n)
  d = tf.math.reduce_max(tf.stack([x, x]), axis=0)
show('max', g.gradient(a, x)); show('max3', g.gradient(b, m3))
show('min', g.gradient(c, n)); show('axis', g.gradient(d, x))
x = tf.constant(2.0); y = tf.constant(2.0)
with tf.GradientTape(persistent=True) as g:
  g.watch(x); g.watch(y)
  mx = tf.maximum(x, y)
  mn = tf.minimum(x, y)
show('maximum', g.gradient(mx, [x, y]))
show('minimum', g.gradient(mn, [x, y]))
''')

program('SP06_where_trap', '''
x = tf.constant(0.)
with tf.GradientTape() as tape:
  tape.watch(x)
  y = tf.where(x < 1., 0., 1. / x)
show('naive', tape.gradient(y, x))
with tf.GradientTape() as tape:
  tape.watch(x)
  safe_x = tf.where(tf.equal(x, 0.), 1., x)
  y = tf.where(x < 1., 0., 1. / safe_x)
show('safe', tape.gradient(y, x))
''')

program('SP07_singular_points', '''
x = tf.constant(0.0); e = tf.constant(2.0); v = tf.constant([0.0, 0.0])
with tf.GradientTape(persistent=True) as g:
  g.watch([x, e, v])
  p = tf.pow(x, e)
  l = tf.math.log(x)
  r = 1.0 / x
  n = tf.norm(v)
  n2 = tf.sqrt(tf.reduce_sum(v * v))
show('pow dx', g.gradient(p, x)); show('pow de', g.gradient(p, e))
show('log', g.gradient(l, x)); show('recip', g.gradient(r, x))
show('norm', g.gradient(n, v)); show('sqrt sum', g.gradient(n2, v))
a = tf.constant(3.0); b = tf.constant(0.0); x = tf.constant([-100.0, 100.0])
with tf.GradientTape(persistent=True) as g:
  g.watch([a, b, x])
  d = tf.math.divide_no_nan(a, b)
  sp = tf.nn.softplus(x)
  sg = tf.nn.sigmoid(x)
show('div_no_nan', g.gradient(d, [a, b]))
show('softplus', g.gradient(sp, x)); show('sigmoid', g.gradient(sg, x))
''')

program('SP08_clip_relu6_leaky', '''
x = tf.constant([-1.0, 0.0, 0.5, 1.0, 2.0])
with tf.GradientTape(persistent=True) as g:
  g.watch(x)
  c = tf.clip_by_value(x, 0.0, 1.0)
y = tf.constant([0.0, 6.0, 3.0, 7.0])
with tf.GradientTape(persistent=True) as h:
  h.watch(y)
  r6 = tf.nn.relu6(y)
  lr = tf.nn.leaky_relu(y - 0.0 * y, alpha=0.2)
show('clip', g.gradient(c, x)); show('relu6', h.gradient(r6, y)); show('leaky', h.gradient(lr, y))
z = tf.constant([0.0, -1.0])
with tf.GradientTape() as k:
  k.watch(z)
  lz = tf.nn.leaky_relu(z, alpha=0.2)
show('leaky at 0', k.gradient(lz, z))
''')

program('B01_broadcasting', '''
x = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
w = tf.Variable([[1., 0.], [0., 1.]])
b = tf.Variable([0.5, -0.5])
with tf.GradientTape() as g:
  loss = tf.reduce_sum(x @ w + b)
show('dw db', g.gradient(loss, [w, b]))
s = tf.Variable(2.0); r = tf.Variable([[1., 1., 1.]])
x = tf.constant([[1., 2., 3.], [4., 5., 6.]])
with tf.GradientTape(persistent=True) as g:
  y1 = s * x
  y2 = r * x
  y3 = tf.reduce_mean(x * s)
show('s', g.gradient(y1, s)); show('r', g.gradient(y2, r)); show('mean', g.gradient(y3, s))
''')

program('D01_D02_dtypes', '''
for dt in [tf.float16, tf.float64]:
  x = tf.Variable(tf.constant(1.5, dt))
  with tf.GradientTape() as g:
    y = x * x * tf.constant(3.0, dt)
  show(dt.name, g.gradient(y, x))
v = tf.Variable(tf.constant(2.0, tf.float16))
with tf.GradientTape() as g:
  y = tf.cast(v, tf.float32) ** 2
show('cast source dtype', g.gradient(y, v))
z = tf.Variable(tf.constant(1 + 2j, tf.complex64))
with tf.GradientTape(persistent=True) as g:
  sq = z * z
  n = tf.math.real(z * tf.math.conj(z))
  re = tf.math.real(z)
  im = tf.math.imag(z)
show('z*z', g.gradient(sq, z)); show('|z|^2', g.gradient(n, z))
show('real', g.gradient(re, z)); show('imag', g.gradient(im, z))
''')

program('A01_A02_assign', '''
x = tf.Variable(3.0)
with tf.GradientTape() as g:
  y = x * x
x.assign(10.0)
show('x now', x)
show('recorded value', g.gradient(y, x))
x = tf.Variable(2.0)
with tf.GradientTape() as g:
  a = x * 1.0
  x.assign_add(1.0)
  b = x * x
  y = a + b
show('y', y); show('grad', g.gradient(y, x))
x = tf.Variable(3.0); k = tf.Variable(5.0)
with tf.GradientTape() as g:
  x.assign(k * 2.0)
  y = x * x
show('assign inside', g.gradient(y, [x, k]))
''')

program('tensor_basics', '''
t = tf.constant([[1., 2.], [3., 4.]])
show('t', t); show('shape', t.shape); show('dtype', t.dtype)
show('shape eq', [t.shape == (2, 2), t.shape == [2, 2], t.shape.as_list(), len(t.shape), t.shape[0]])
show('repr', repr(t)); show('str', str(t)); show('repr scalar', repr(tf.constant(1.5)))
show('str scalar', str(tf.constant(3.0)))
show('var repr', repr(tf.Variable([1., 2.])))
show('slices', [t[0], t[:, 1], t[1:, :], t[..., 0], t[None, 0]])
show('ops', [t + 1, 2 * t, t - t, t / 2, -t, t ** 2, t @ t, t > 2.0, abs(-t)])
show('bool', bool(tf.constant(True)))
expect(lambda: bool(t), 'bool of matrix')
show('int defaults', [tf.constant(1).dtype, tf.constant([1, 2.5]).dtype, tf.constant(np.float64(2.0)).dtype])
show('np coerce', [tf.constant(1.0) * np.float64(2.0), tf.constant(1.0) * np.array([2.0])])
show('int div', tf.constant(1) / tf.constant(2))
show('dtype reprs', [repr(tf.float32), str(tf.float32), tf.float32.is_floating, tf.int32.is_integer, tf.complex64.is_complex])
expect(lambda: hash(tf.constant(2.0)), 'hash')
expect(lambda: tf.reshape(tf.ones([2, 3]), [4]), 'bad reshape')
expect(lambda: tf.matmul(tf.constant([1., 2.]), tf.constant([1., 2.])), 'matmul 1d')
show('string', tf.constant('abc'))
show('strlen', tf.strings.length(tf.constant(['abc', 'de'])))
show('range', [tf.range(5), tf.range(1.0, 3.0), tf.range(35, dtype=tf.float32)[-1]])
show('creation', [tf.zeros([2]), tf.ones([1, 2], tf.int32), tf.fill([2], 3.0), tf.zeros_like(t), tf.ones_like(t)])
show('shape ops', [tf.shape(t), tf.size(t), tf.rank(t)])
''')

_OP_POINTS = {
    'scalar': 'tf.constant(0.7)',
    'vector': 'tf.constant([0.3, 0.9, 1.7])',
    'matrix': 'tf.constant([[0.5, 1.5], [2.0, 0.25]])',
}

_UNARY = ['tf.square', 'tf.sqrt', 'tf.exp', 'tf.math.log', 'tf.sin', 'tf.cos', 'tf.tanh',
          'tf.sigmoid', 'tf.abs', 'tf.negative', 'tf.nn.relu', 'tf.nn.softplus',
          'tf.math.log1p', 'tf.math.reciprocal', 'tf.math.rsqrt', 'tf.math.expm1', 'tf.tan',
          'tf.nn.elu', 'tf.nn.relu6', 'tf.nn.softmax', 'tf.nn.log_softmax', 'tf.identity',
          'tf.reduce_sum', 'tf.reduce_mean', 'tf.reduce_max', 'tf.reduce_min',
          'tf.reduce_prod', 'tf.math.cumsum', 'tf.math.cumprod', 'tf.linalg.norm']

for _op in _UNARY:
    for _point, _expr in _OP_POINTS.items():
        if _op in ('tf.nn.softmax', 'tf.nn.log_softmax') and _point == 'scalar':
            continue
        if _op in ('tf.math.cumsum', 'tf.math.cumprod') and _point == 'scalar':
            continue
        program('op_%s_%s' % (_op.split('.')[-1], _point), '''
x = %s
with tf.GradientTape() as g2:
  g2.watch(x)
  with tf.GradientTape() as g:
    g.watch(x)
    y = %s(x)
  d = g.gradient(y, x)
show('y', y)
show('d', d)
show('d2', g2.gradient(d, x))
with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x) * 0.5) as acc:
  y = %s(x)
show('jvp', acc.jvp(y))
''' % (_expr, _op, _op))

_BINARY = ['tf.add', 'tf.subtract', 'tf.multiply', 'tf.divide', 'tf.pow', 'tf.maximum',
           'tf.minimum', 'tf.math.divide_no_nan', 'tf.math.squared_difference',
           'tf.matmul', 'lambda a, b: tf.where(a > b, a * b, a - b)',
           'lambda a, b: tf.concat([a, b], 0)', 'lambda a, b: tf.stack([a, b], 1)',
           'lambda a, b: tf.reduce_sum(a * tf.transpose(b), axis=1)',
           'lambda a, b: tf.reshape(a, [4]) * tf.reshape(b, [-1])',
           'lambda a, b: tf.gather(a, [1, 0, 1]) * 2.0 + b[0]',
           'lambda a, b: tf.clip_by_value(a, 0.4, 1.0) * tf.expand_dims(b[:, 0], 1)',
           'lambda a, b: tf.squeeze(tf.reduce_max(a * b, axis=1, keepdims=True))']

for _i, _op in enumerate(_BINARY):
    program('binary_%02d' % _i, '''
f = %s
a = tf.constant([[0.5, 1.5], [2.0, 0.25]])
b = tf.constant([[1.25, 0.75], [0.5, 3.0]])
with tf.GradientTape(persistent=True) as g2:
  g2.watch([a, b])
  with tf.GradientTape(persistent=True) as g:
    g.watch([a, b])
    y = f(a, b)
  da, db = g.gradient(y, [a, b])
show('y', y)
show('grads', [da, db])
expect(lambda: [g2.gradient(da, [a, b]), g2.gradient(db, [a, b])], 'second')
with tf.autodiff.ForwardAccumulator([a, b], [tf.ones_like(a), tf.ones_like(b) * 0.5]) as acc:
  y = f(a, b)
show('jvp', acc.jvp(y))
''' % _op)

program('broadcast_binary', '''
a = tf.constant([[0.5, 1.5, 2.0]])
b = tf.constant([[1.0], [2.0]])
c = tf.constant(3.0)
with tf.GradientTape(persistent=True) as g:
  g.watch([a, b, c])
  ys = [a + b, a - b, a * b, a / b, a ** b, tf.maximum(a, b), b * c, c / a]
for k, y in enumerate(ys):
  show('grad %d' % k, g.gradient(y, [a, b, c]))
''')

program('matmul_transposes', '''
a = tf.constant([[0.5, 1.5, 2.0], [1.0, -1.0, 0.25]])
b = tf.constant([[1.0, 2.0, 0.5], [0.0, 1.0, 3.0]])
with tf.GradientTape(persistent=True) as g:
  g.watch([a, b])
  ys = [tf.matmul(a, b, transpose_b=True), tf.matmul(a, b, transpose_a=True),
        tf.matmul(tf.transpose(a), b, transpose_a=True, transpose_b=True)]
for k, y in enumerate(ys):
  show('y %d' % k, y)
  show('grad %d' % k, g.gradient(y, [a, b]))
batch = tf.reshape(tf.range(12, dtype=tf.float32), [2, 2, 3]) / 10.0
with tf.GradientTape() as g:
  g.watch([batch, b])
  y = tf.matmul(batch, b, transpose_b=True)
show('batched', g.gradient(y, [batch, b]))
expect(lambda: tf.matmul(a, b), 'size mismatch')
''')

program('reduce_prod_with_zeros', '''
x = tf.constant([[0.0, 2.0, 3.0], [1.0, 0.0, 0.0], [2.0, 2.0, 2.0]])
with tf.GradientTape(persistent=True) as g:
  g.watch(x)
  p_all = tf.reduce_prod(x)
  p0 = tf.reduce_prod(x, axis=0)
  p1 = tf.reduce_prod(x, axis=1, keepdims=True)
show('all', g.gradient(p_all, x)); show('axis0', g.gradient(p0, x)); show('axis1', g.gradient(p1, x))
''')


def all_programs():
    """(name, source) pairs, sorted by name."""
    return sorted(_PROGRAMS.items())
