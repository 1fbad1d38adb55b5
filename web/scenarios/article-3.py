import tensorflow as tf
from tensorflow.keras import layers

query = tf.random.normal((32, 2))    # (Tq, dim)
key = tf.random.normal((1200, 2))    # (Tv, dim)
value = tf.random.normal((1200, 2))  # (Tv, dim)

# Project every sequence to 128 features; Dense acts on the last axis only.
query_proj = layers.Dense(128)(query)  # (32, 128)
key_proj = layers.Dense(128)(key)      # (1200, 128)
value_proj = layers.Dense(128)(value)  # (1200, 128)

# Add the batch axis the attention layer expects.
q = tf.expand_dims(query_proj, axis=0)  # (1, 32, 128)
k = tf.expand_dims(key_proj, axis=0)    # (1, 1200, 128)
v = tf.expand_dims(value_proj, axis=0)  # (1, 1200, 128)

output = layers.Attention()([q, v, k])
print(f"output: {output.shape}")
