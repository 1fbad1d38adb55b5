import tensorflow as tf
from tensorflow.keras import layers

q = tf.random.normal((32, 2))
context = tf.random.normal((1200, 2))

# The Add layer checks shapes itself, so the message is Keras', not TF's.
y = layers.Add()([q, context])
