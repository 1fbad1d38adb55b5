// The article's three programs exactly as shared/corpus/public.json a01-a03 has
// them (tests/corpus/public.json). Used by the minimal page until the UI's
// scenario gallery (web/scenarios/) replaces it.
// Plain data: the UI decides how to show them.

export interface Scenario {
  id: string;
  title: string;
  source: string;
}

export const ARTICLE_SCENARIOS: readonly Scenario[] = [
  {
    id: "a01_blog_a_attention_q_k_v_order",
    title: "Attention([query, key, value]) with Tq=32, Tv=1200",
    source: "import tensorflow as tf\nfrom tensorflow.keras import layers\nquery_tensor = tf.random.normal((1, 32, 2))\nkey_tensor = tf.random.normal((1, 1200, 2))\nvalue_tensor = tf.random.normal((1, 1200, 2))\nattention_output = layers.Attention()([query_tensor, key_tensor, value_tensor])\nprint(f\"attention_output: {attention_output.shape}\")\n",
  },
  {
    id: "a02_blog_b_padded_query_mask_list_len1",
    title: "Padded query with a one-element mask list",
    source: "import tensorflow as tf\nfrom tensorflow.keras import layers\nquery_tensor = tf.random.normal((1, 32, 2))\nkey_tensor = tf.random.normal((1, 1200, 2))\nvalue_tensor = tf.random.normal((1, 1200, 2))\nmax_len = 1200\npadded_query = tf.pad(query_tensor, [[0, 0], [0, max_len - 32], [0, 0]])\nquery_mask = tf.sequence_mask(tf.constant([32]), max_len)\nattention_output = layers.Attention()([padded_query, key_tensor, value_tensor], mask=[query_mask])\nprint(f\"attention_output: {attention_output.shape}\")\n",
  },
  {
    id: "a03_blog_c_dense128_expand_dims_attention",
    title: "Dense(128) projections, then expand_dims and Attention",
    source: "import tensorflow as tf\nfrom tensorflow.keras import layers\nquery = tf.random.normal((32, 2))\nkey = tf.random.normal((1200, 2))\nvalue = tf.random.normal((1200, 2))\nq = tf.expand_dims(layers.Dense(128)(query), axis=0)\nk = tf.expand_dims(layers.Dense(128)(key), axis=0)\nv = tf.expand_dims(layers.Dense(128)(value), axis=0)\nattention_output = layers.Attention()([q, k, v])\nprint(f\"q {q.shape} k {k.shape} v {v.shape} -> {attention_output.shape}\")\n",
  },
];
