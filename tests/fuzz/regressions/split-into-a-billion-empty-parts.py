import tensorflow as tf
from tensorflow.keras import layers
x = tf.split(tf.ones((0,)), 10**9)
