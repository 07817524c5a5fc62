// The editor's upload messages. markdownx inserts "Invalid response" into the text when the
// server refuses an image; this shows the server's reason beside the editor instead, and
// puts the author's text back as it was.
(function () {
  "use strict";

  function reason(detail) {
    var body = detail && detail[0];
    if (body && typeof body === "object" && body.error) return body.error;
    if (typeof body === "string") {
      try { return JSON.parse(body).error || ""; } catch (error) { /* not JSON */ }
    }
    return "The upload failed: the server could not be reached.";
  }

  function watch(container) {
    var editor = container.querySelector(".markdownx-editor");
    if (!editor) return;
    var message = document.createElement("p");
    message.className = "upload-message";
    message.setAttribute("role", "alert");
    message.hidden = true;
    container.parentNode.insertBefore(message, container.nextSibling);

    function refused(event) {
      var text = editor.value;
      var start = editor.selectionStart;
      var end = editor.selectionEnd;
      message.textContent = reason(event.detail);
      message.hidden = false;
      // markdownx inserts its placeholder right after this event: undo that insertion.
      window.setTimeout(function () {
        editor.value = text;
        editor.setSelectionRange(start, end);
      }, 0);
    }
    container.addEventListener("markdownx.fileUploadError", refused);
    container.addEventListener("fileUploadError", refused);
    container.addEventListener("markdownx.fileUploadEnd", function () {
      message.hidden = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".markdownx"), watch);
  });
})();
