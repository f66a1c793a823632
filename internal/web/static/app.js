// Tend: the little script the portal uses. Every page works without it;
// it only adds the idle sign-out warning and small conveniences.
(function () {
  "use strict";

  // Idle sign-out warning. The server signs a session out after the idle
  // timeout on its own; this only warns a minute ahead and offers a way
  // to stay signed in.
  function idleWarning() {
    var body = document.body;
    var seconds = parseInt(body.getAttribute("data-idle-seconds") || "", 10);
    var dialog = document.getElementById("idle-dialog");
    var stay = document.getElementById("idle-stay");
    if (!seconds || !dialog || !stay) {
      return;
    }
    var keepalive = body.getAttribute("data-keepalive-url");
    var expired = body.getAttribute("data-expired-url");
    var warnAt = Math.max(seconds - 60, 0) * 1000;
    var warnTimer, endTimer;

    function show() {
      if (typeof dialog.showModal === "function") {
        if (!dialog.open) { dialog.showModal(); }
      } else {
        dialog.setAttribute("open", "");
      }
      stay.focus();
    }
    function hide() {
      if (typeof dialog.close === "function" && dialog.open) {
        dialog.close();
      } else {
        dialog.removeAttribute("open");
      }
    }
    function start() {
      clearTimeout(warnTimer);
      clearTimeout(endTimer);
      warnTimer = setTimeout(show, warnAt);
      endTimer = setTimeout(function () { window.location.assign(expired); }, seconds * 1000);
    }

    stay.addEventListener("click", function (event) {
      event.preventDefault();
      fetch(keepalive, { method: "POST", credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (resp) {
          if (resp.ok) {
            hide();
            start();
          } else {
            window.location.assign(expired);
          }
        })
        .catch(function () { window.location.assign(expired); });
    });
    start();
  }

  // Close the account menu with Escape or a click elsewhere.
  function accountMenu() {
    var menu = document.querySelector("details.account");
    if (!menu) {
      return;
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  }

  // Copy buttons: <button data-copy="#id"> copies that element's text.
  function copyButtons() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.querySelector(button.getAttribute("data-copy"));
        if (target && navigator.clipboard) {
          navigator.clipboard.writeText(target.textContent.trim()).then(function () {
            button.textContent = "Copied";
          });
        }
      });
    });
  }

  function ready() {
    idleWarning();
    accountMenu();
    copyButtons();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
