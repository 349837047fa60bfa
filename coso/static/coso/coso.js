// Coso's own behaviour, kept out of the HTML so the Content-Security-Policy can forbid inline script.
// - data-autosubmit on a <select> or input: changing it submits its form (a filter picker).
// - data-select-all on a read-only input: a click selects its text (a token or a feed address to copy).
// - data-confirm on a <form>: an irreversible or destructive action asks first (htmx forms use hx-confirm).
// - data-picker: the organization picker (below).
"use strict";
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.requestSubmit();
  }
});
document.addEventListener("click", function (event) {
  var field = event.target;
  if (field.matches && field.matches("input[data-select-all]")) {
    field.select();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// - data-picker: an organization picker (coso/orgs/widgets.py). htmx fills its listbox while the user types;
//   the arrow keys move through the options, Enter or a click chooses one (its pk goes into the hidden input,
//   or into a ticked box for a picker of several), Escape closes the list. Without this script the typed code
//   or name is resolved on the server.
(function () {
  function parts(el) {
    var root = el && el.closest && el.closest("[data-picker]");
    if (!root) { return null; }
    return {
      root: root,
      input: root.querySelector("[data-picker-input]"),
      list: root.querySelector("[role=listbox]"),
      value: root.querySelector("[data-picker-value]"),
      hint: root.querySelector("[data-picker-hint]"),
      chosen: root.querySelector("[data-picker-chosen]")
    };
  }
  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]"));
  }
  function show(p, open) {
    p.list.classList.toggle("d-none", !open);
    p.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { p.input.removeAttribute("aria-activedescendant"); }
  }
  function activate(p, option) {
    options(p).forEach(function (o) {
      o.classList.toggle("active", o === option);
      o.setAttribute("aria-selected", o === option ? "true" : "false");
    });
    if (option) {
      p.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({block: "nearest"});
    }
  }
  function choose(p, option) {
    if (option.hasAttribute("data-picker-more")) {
      option.click();  // htmx loads the next page in its place
      return;
    }
    var pk = option.getAttribute("data-pk");
    var label = option.getAttribute("data-label");
    var changed;
    if (p.value) {
      p.value.value = pk;
      p.input.value = label;
      if (p.hint) { p.hint.textContent = option.getAttribute("data-hint"); }
      changed = p.value;
    } else if (p.chosen) {
      var name = p.root.getAttribute("data-picker-name");
      changed = p.chosen.querySelector("input[value='" + pk + "']");
      if (!changed) {
        var item = document.createElement("li");
        item.className = "form-check";
        changed = document.createElement("input");
        changed.type = "checkbox";
        changed.className = "form-check-input";
        changed.name = name;
        changed.value = pk;
        changed.id = p.input.id + "_" + pk;
        var text = document.createElement("label");
        text.className = "form-check-label";
        text.htmlFor = changed.id;
        text.textContent = label + " · " + option.getAttribute("data-hint");
        item.appendChild(changed);
        item.appendChild(text);
        p.chosen.appendChild(item);
      }
      changed.checked = true;
      p.input.value = "";
    }
    show(p, false);
    p.input.setAttribute("data-picker-chosen-now", "");  // a search still on its way must not reopen the list
    if (changed) { changed.dispatchEvent(new Event("change", {bubbles: true})); }
    if (p.input.hasAttribute("data-autosubmit") && p.input.form) { p.input.form.requestSubmit(); }
  }
  // The typed text is not a choice: keep filter forms (hx-trigger="change") from submitting it.
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-picker-input]")) { event.stopPropagation(); }
  }, true);
  document.addEventListener("input", function (event) {
    var p = event.target.matches && event.target.matches("[data-picker-input]") ? parts(event.target) : null;
    if (p) { p.input.removeAttribute("data-picker-chosen-now"); }
    if (p && p.value && p.value.value) {
      p.value.value = "";  // what is typed now is resolved on the server unless an option is chosen
      if (p.hint) { p.hint.textContent = ""; }
    }
  });
  document.addEventListener("keydown", function (event) {
    var p = event.target.matches && event.target.matches("[data-picker-input]") ? parts(event.target) : null;
    if (!p) { return; }
    var all = options(p);
    var open = !p.list.classList.contains("d-none");
    var current = p.list.querySelector("[role=option].active");
    var index = all.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!all.length) { return; }
      show(p, true);
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(p, all[!open || index < 0 ? (step > 0 ? 0 : all.length - 1) : (index + step + all.length) % all.length]);
    } else if (event.key === "Enter" && open && current) {
      event.preventDefault();
      choose(p, current);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      show(p, false);
    }
  });
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest("[data-picker] [role=option]")) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-picker] [role=option]");
    if (option && !option.hasAttribute("data-picker-more")) { choose(parts(option), option); }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-picker-input]")) {
      event.target.removeAttribute("data-picker-chosen-now");  // coming back: show the matches again
    }
  });
  document.addEventListener("focusout", function (event) {
    var p = event.target.matches && event.target.matches("[data-picker-input]") ? parts(event.target) : null;
    if (p) {
      window.setTimeout(function () {
        if (!p.root.contains(document.activeElement)) { show(p, false); }
      }, 150);
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.target;
    if (!list.matches || !list.matches("[data-picker] [role=listbox]")) { return; }
    var p = parts(list);
    var chosen = p.input.hasAttribute("data-picker-chosen-now");
    show(p, !chosen && document.activeElement === p.input && list.children.length > 0);
  });
})();
