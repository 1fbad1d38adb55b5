/*! Attention Playground embed helper for host pages (served as embed.js beside
 * the playground's index.html). Add it once per page, after or before any
 * number of playground iframes:
 *
 *   <iframe data-attention-playground src=".../?embed=1&id=ap-1#s=article-1" ...></iframe>
 *   <script async src=".../embed.js"></script>
 *
 * It resizes each iframe to its content: the embed posts
 *   {type: "attention-playground:resize", v: 1, id, height}
 * (and AMP's {sentinel: "amp", type: "embed-size", height}) whenever its size
 * changes. A resize is applied only to the iframe whose window sent it, only
 * if the sender's origin is that iframe's origin, and only when the id matches
 * the iframe's ?id= (when it has one).
 *
 * The embed accepts exactly two messages from its parent window (anything
 * else is ignored):
 *   {type: "attention-playground:theme", v: 1, theme: "auto" | "light" | "dark"}
 *   {type: "attention-playground:step",  v: 1, step: <integer >= 0> | null}
 * Send them with AttentionPlayground.setTheme(iframe, theme) / .setStep(iframe, step).
 * No dependencies, no network requests, no globals besides AttentionPlayground.
 */
(function () {
  'use strict';
  if (window.AttentionPlayground) return; // loaded twice: one listener is enough
  var MIN_HEIGHT = 60;
  var MAX_HEIGHT = 20000;

  function frames() {
    return document.querySelectorAll('iframe[data-attention-playground]');
  }

  function frameOrigin(iframe) {
    try {
      return new URL(iframe.src, document.baseURI).origin;
    } catch (e) {
      return null;
    }
  }

  function frameId(iframe) {
    try {
      return new URL(iframe.src, document.baseURI).searchParams.get('id');
    } catch (e) {
      return null;
    }
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object') return;
    if (data.type !== 'attention-playground:resize' || data.v !== 1) return;
    var height = data.height;
    if (typeof height !== 'number' || !isFinite(height)) return;
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var iframe = list[i];
      if (iframe.contentWindow !== event.source) continue;
      if (frameOrigin(iframe) !== event.origin) return;
      var id = frameId(iframe);
      if (id !== null && data.id !== id) return;
      var h = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, Math.ceil(height)));
      iframe.style.height = h + 'px';
      iframe.setAttribute('height', String(h));
      return;
    }
  });

  function send(iframe, message) {
    var origin = frameOrigin(iframe);
    if (!iframe || !iframe.contentWindow || !origin) return;
    iframe.contentWindow.postMessage(message, origin);
  }

  window.AttentionPlayground = {
    setTheme: function (iframe, theme) {
      send(iframe, { type: 'attention-playground:theme', v: 1, theme: theme });
    },
    setStep: function (iframe, step) {
      send(iframe, { type: 'attention-playground:step', v: 1, step: step });
    },
  };
})();
