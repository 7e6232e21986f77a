// Progressive enhancement of the share block (views/share_links.rs): the
// links work without this file; it only adds "copy the link" and the
// system's share sheet where the browser has them. Served from the site
// itself, so the Content-Security-Policy (script-src 'self') allows it.
(function () {
  "use strict";
  document.querySelectorAll("section.share").forEach(function (section) {
    var scripted = section.querySelector(".share-scripted");
    var status = section.querySelector(".share-status");
    var copy = section.querySelector("[data-share-copy]");
    var native = section.querySelector("[data-share-native]");
    if (!scripted) return;
    var url = section.getAttribute("data-url");
    var data = { title: section.getAttribute("data-title"), text: section.getAttribute("data-text"), url: url };
    if (copy && navigator.clipboard && window.isSecureContext) {
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(function () {
          status.textContent = status.getAttribute("data-copied");
        });
      });
    } else if (copy) {
      copy.hidden = true;
    }
    if (native && navigator.share && (!navigator.canShare || navigator.canShare(data))) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share(data).catch(function () {});
      });
    }
    if ((copy && !copy.hidden) || (native && !native.hidden)) scripted.hidden = false;
  });
})();
