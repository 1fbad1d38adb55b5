import tensorflow as tf
from tensorflow.keras import layers

query = tf.random.normal((1, 32, 4))
value = tf.random.normal((1, 20, 4))  # 20 value steps
key = tf.random.normal((1, 18, 4))    # 18 key steps

output = layers.Attention()([query, value, key])
