/* The change form, safer to write in. Progressive enhancement: without it the form works as
 * Django made it. One static file, no inline code, so a strict Content Security Policy allows it.
 *
 * - Ctrl+S (⌘S on a Mac) saves and continues editing: "Save and continue editing".
 * - What is typed is kept in this browser (localStorage, one entry per form: its URL) and
 *   offered back when the form is opened again with different text; a successful save
 *   clears it.
 */
(function () {
  "use strict";

  var PREFIX = "unsaved-text:";
  var SUBMITTED = PREFIX + "submitted";
  var TEXT_TYPES = ["text", "url", "search", "email", "number", "datetime-local"];

  function storage(kind) {
    try {
      var store = window[kind];
      store.getItem("probe");
      return store;
    } catch (error) {
      return null; // storage disabled: the form still works, without the safety net
    }
  }

  var local = storage("localStorage");
  var session = storage("sessionStorage");

  // The form submitted from the previous page saved unless Django came back with errors.
  function forgetSaved() {
    if (!local || !session) return;
    var key = session.getItem(SUBMITTED);
    session.removeItem(SUBMITTED);
    if (key && !document.querySelector(".errornote, .errorlist")) local.removeItem(key);
  }

  function textFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.readOnly) return false;
      if (field.tagName === "TEXTAREA") return true;
      return field.tagName === "INPUT" && TEXT_TYPES.indexOf(field.type) !== -1;
    });
  }

  function valuesOf(fields) {
    var values = {};
    fields.forEach(function (field) { values[field.name] = field.value; });
    return values;
  }

  function differs(a, b) {
    return Object.keys(a).some(function (name) { return name in b && a[name] !== b[name]; });
  }

  function offer(form, fields, saved, onDone) {
    var box = document.createElement("div");
    box.className = "unsaved-offer";
    box.setAttribute("role", "alert");
    var text = document.createElement("p");
    var when = new Date(saved.at);
    text.textContent = "This form has text typed on " + when.toLocaleString() +
      " that was never saved. Restore it, or discard it? (Until you choose, what you type " +
      "now is not kept.)";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button default";
    restore.textContent = "Restore the unsaved text";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = "Discard it";
    box.appendChild(text);
    box.appendChild(restore);
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);

    restore.addEventListener("click", function () {
      fields.forEach(function (field) {
        if (field.name in saved.values && field.value !== saved.values[field.name]) {
          field.value = saved.values[field.name];
          // The live preview (markdownx) and any other listener see the restored text.
          field.dispatchEvent(new Event("input", { bubbles: true }));
          field.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      box.remove();
      onDone(true);
      (fields[0] || form).focus();
    });
    discard.addEventListener("click", function () {
      box.remove();
      onDone(false);
    });
  }

  function keepTyping(form) {
    var fields = textFields(form);
    if (!local || !fields.length) return;
    var key = PREFIX + window.location.pathname;
    // Django came back with errors: what the form holds was not saved, so all of it is kept.
    var failed = !!document.querySelector(".errornote");
    var initial = failed ? null : valuesOf(fields);
    var waiting = false;
    var timer = null;

    function keep() {
      clearTimeout(timer);
      if (waiting) return;
      var values = valuesOf(fields);
      try {
        if (initial === null || differs(values, initial)) {
          local.setItem(key, JSON.stringify({ at: Date.now(), values: values }));
        } else {
          local.removeItem(key);
        }
      } catch (error) {
        // Storage full: nothing more can be kept; the form itself is unaffected.
      }
    }

    var saved = null;
    try {
      saved = JSON.parse(local.getItem(key) || "null");
    } catch (error) {
      local.removeItem(key);
    }
    if (saved && saved.values && differs(saved.values, valuesOf(fields))) {
      waiting = true;
      offer(form, fields, saved, function (restored) {
        waiting = false;
        if (restored || failed) keep();
        else local.removeItem(key);
      });
    } else {
      keep(); // the form already holds what was kept; after errors, keep it anyway
    }

    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(keep, 300);
    });
    // A closing tab may not wait for the timer.
    window.addEventListener("pagehide", keep);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") keep();
    });
    form.addEventListener("submit", function () {
      keep();
      if (session) session.setItem(SUBMITTED, key);
    });
  }

  function saveShortcut(form) {
    var button = form.querySelector('[name="_continue"]');
    if (!button) return;
    document.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      if ((event.key || "").toLowerCase() !== "s") return;
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit(button);
      else button.click();
    });
  }

  function init() {
    forgetSaved();
    var editor = document.querySelector(".markdownx textarea");
    var form = editor && editor.form;
    if (!form) return;
    keepTyping(form);
    saveShortcut(form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
