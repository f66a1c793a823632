// Tend: the little script the portal uses. Every page works without it;
// it only adds the idle sign-out warning and small conveniences:
// confirmations before deleting and autosave of drafts.
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
          var text = "value" in target ? target.value : target.textContent;
          navigator.clipboard.writeText(text.trim()).then(function () {
            button.textContent = "Copied";
          });
        }
      });
    });
  }

  // Confirm before destructive forms: <form data-confirm="Delete …?">.
  function confirmForms() {
    var forms = document.querySelectorAll("form[data-confirm]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  }

  // Autosave: <form data-autosave="/notes/ID"> posts its fields to that
  // address a few seconds after the last keystroke. The server answers
  // JSON {"saved": "…", "version": n} to requests that accept JSON; the
  // form's own Save button keeps working without this.
  function autosave() {
    var forms = document.querySelectorAll("form[data-autosave]");
    Array.prototype.forEach.call(forms, function (form) {
      var url = form.getAttribute("data-autosave");
      var status = form.querySelector(".autosave-status");
      var timer = null;
      var busy = false;
      var again = false;
      function say(text) {
        if (status) { status.textContent = text; }
      }
      function save() {
        if (busy) { again = true; return; }
        busy = true;
        var body = new URLSearchParams(new FormData(form));
        body.delete("confirm");
        body.delete("typed_name");
        say("Saving…");
        fetch(url, {
          method: "POST", credentials: "same-origin", body: body,
          headers: { "Accept": "application/json" }
        }).then(function (resp) {
          if (!resp.ok) {
            throw resp;
          }
          return resp.json();
        }).then(function (data) {
          var version = form.querySelector("input[name=version]");
          if (version && data.version) { version.value = String(data.version); }
          say("Draft saved " + data.saved);
        }).catch(function (resp) {
          if (resp && resp.status === 409) {
            say("Not saved: this was changed elsewhere or is already signed. Reload the page.");
          } else {
            say("Not saved automatically. Your text is still here; use Save draft.");
          }
        }).then(function () {
          busy = false;
          if (again) { again = false; save(); }
        });
      }
      form.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(save, 2500);
      });
      form.addEventListener("submit", function () { clearTimeout(timer); });
    });
  }

  // Booking pages: show times in the browser's own zone the first time,
  // unless the visitor chose one. The page works without this.
  function visitorZone() {
    var select = document.getElementById("bk-tz");
    if (!select || /[?&]tz=/.test(window.location.search) || !window.Intl) {
      return;
    }
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === select.value) {
      return;
    }
    var params = new URLSearchParams(window.location.search);
    params.set("tz", zone);
    window.location.replace(window.location.pathname + "?" + params.toString());
  }

  function ready() {
    idleWarning();
    accountMenu();
    copyButtons();
    confirmForms();
    autosave();
    visitorZone();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
