import tensorflow as tf
from tensorflow.keras import layers

q = tf.random.normal((32, 2))     # 32 query steps
kv = tf.random.normal((1200, 2))  # 1200 memory steps

# Keras reads the list as [query, value]: here kv is the QUERY.
context = layers.Attention()([kv[None], q[None]])[0]
print(f"context: {context.shape}")

# A residual connection then adds tensors of different lengths.
y = q + context
