import tensorflow as tf
from tensorflow.keras import layers

projection = layers.Dense(16)
a = projection(tf.ones((4, 8)))  # builds the kernel for 8 input features
b = projection(tf.ones((4, 6)))  # 6 features: the kernel no longer fits
