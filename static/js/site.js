// The site's one script, and only an enhancement: every page reads and works without it.
// 1. A "Copy" button on each code block, announcing "Copied" to screen readers.
// 2. Code blocks, formulas and tables that overflow sideways become named tab stops, so a
//    keyboard can scroll them; those that fit stop being tab stops. (The server already
//    marks the ones that may overflow on a phone, for readers without JavaScript.)
// Loaded with `defer` from a static file: no inline script or handler, so a strict Content
// Security Policy (script-src 'self') allows it.
(function () {
  "use strict";

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  (document.querySelector("main") || document.body).appendChild(status);

  function announce(text) {
    status.textContent = "";
    // A fresh text node after a tick, so the same message is announced again.
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      area.remove();
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function addCopyButton(block) {
    var code = block.querySelector("pre code");
    if (!code) { return; }
    var bar = block.querySelector(".codeblock-lang");
    if (!bar) {
      bar = document.createElement("div");
      bar.className = "codeblock-lang";
      block.insertBefore(bar, block.firstChild);
    }
    var label = (bar.textContent.trim() || "the") + " code";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "codeblock-copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy " + label);
    var timer = null;
    button.addEventListener("click", function () {
      copyText(code.textContent).then(function () {
        button.textContent = "Copied";
        announce("Copied");
      }, function () {
        button.textContent = "Select and copy";
        announce("Could not copy: select the code and copy it");
      });
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
    });
    bar.appendChild(button);
  }

  function scrollLabel(box) {
    if (box.classList.contains("math-display")) { return "Formula"; }
    if (box.classList.contains("table-wrap")) { return "Table"; }
    var lang = box.parentElement.querySelector(".codeblock-lang");
    var name = lang && lang.firstChild && lang.firstChild.nodeType === 3 ? lang.firstChild.textContent.trim() : "";
    return name ? name + " code" : "Code";
  }

  function updateScrollBox(box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      if (!box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", scrollLabel(box));
      }
    } else if (box.hasAttribute("tabindex") && document.activeElement !== box) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  document.querySelectorAll(".codeblock").forEach(addCopyButton);
  var boxes = document.querySelectorAll(".codeblock pre, .math-display, .table-wrap");
  boxes.forEach(updateScrollBox);
  if ("ResizeObserver" in window) {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { updateScrollBox(entry.target); });
    });
    boxes.forEach(function (box) { observer.observe(box); });
  }
})();
