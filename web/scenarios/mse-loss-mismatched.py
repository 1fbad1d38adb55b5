import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

q = tf.random.normal((32, 2))
kv = tf.random.normal((1200, 2))
context = layers.Attention()([kv[None], q[None]])[0]  # (1200, 2): kv was the query

y_true = tf.zeros((32, 2))
loss = keras.losses.MeanSquaredError()(y_true, context)
