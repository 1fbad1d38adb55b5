import numpy as np
import keras
from keras import layers

# Self-attention over 32 query steps, then 2 values per step: (None, 32, 2).
query = keras.Input(shape=(32, 2))
context = layers.Attention()([query, query])
model = keras.Model(query, layers.Dense(2)(context))
# run_eagerly=True: the loss runs as plain TensorFlow ops, whose error is the
# article's kind (without it Keras traces the step and says "Dimensions must
# be equal, but are 1200 and 32" instead).
model.compile(optimizer="adam", loss="mse", run_eagerly=True)

x = np.random.rand(64, 32, 2)
# The targets have one row per step of the 1200-step memory, not per query step.
y = np.random.rand(64, 1200, 2)
model.fit(x, y, batch_size=32, epochs=1, verbose=0)
