/*
 * Tag fields that suggest existing names as you type (people, places, events).
 *
 * Enhances every <input data-suggest-url> into an ARIA 1.2 combobox with a listbox of
 * suggestions for the name being typed (the text between commas around the caret).
 * Keyboard: Down/Up move through suggestions, Enter picks one, Escape
 * closes the list. Typing a new name and commas works as before: suggestions never
 * stop the field from taking names that do not exist yet.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var counter = 0;

  /* The comma-separated segment around the caret: [start, end) of the value, outside quotes. */
  function segmentAt(value, caret) {
    var start = 0, end = value.length, quoted = false, i;
    for (i = 0; i < value.length; i++) {
      var ch = value.charAt(i);
      if (ch === '"') {
        quoted = !quoted;
      } else if (ch === "," && !quoted) {
        if (i < caret) {
          start = i + 1;
        } else {
          end = i;
          break;
        }
      }
    }
    return { start: start, end: end };
  }

  function cleanName(text) {
    return text.replace(/"/g, "").replace(/\s+/g, " ").trim();
  }

  function namesIn(value) {
    var names = [], quoted = false, current = "";
    for (var i = 0; i < value.length; i++) {
      var ch = value.charAt(i);
      if (ch === '"') { quoted = !quoted; }
      else if (ch === "," && !quoted) { names.push(cleanName(current)); current = ""; }
      else { current += ch; }
    }
    names.push(cleanName(current));
    return names.filter(Boolean).map(function (name) { return name.toLowerCase(); });
  }

  function formatName(name) {
    return name.indexOf(",") === -1 ? name : '"' + name + '"';
  }

  function enhance(input) {
    var id = "tag-suggest-" + (++counter);
    var url = input.getAttribute("data-suggest-url");
    var timer = null, request = null, options = [], active = -1;

    // The list hangs under the field inside the field's own container (the input is not
    // moved: the admin lays label and input out as flex siblings).
    var container = input.parentNode;
    var row = input.closest(".form-row") || container;
    container.classList.add("tag-suggest");

    var listbox = document.createElement("ul");
    listbox.id = id + "-list";
    listbox.className = "tag-suggest__list";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Existing " + (input.getAttribute("data-suggest-label") || "tags").toLowerCase());
    listbox.hidden = true;
    input.insertAdjacentElement("afterend", listbox);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    listbox.insertAdjacentElement("afterend", status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    function place() {
      // CSSOM, not a style attribute: allowed by a strict Content-Security-Policy.
      var field = input.getBoundingClientRect(), box = container.getBoundingClientRect();
      listbox.style.left = (field.left - box.left) + "px";
      listbox.style.top = (field.bottom - box.top) + "px";
      listbox.style.width = field.width + "px";
    }

    function close() {
      row.classList.remove("tag-suggest-open");
      listbox.hidden = true;
      listbox.textContent = "";
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(name) {
      var value = input.value;
      var segment = segmentAt(value, input.selectionStart);
      var before = value.slice(0, segment.start);
      var after = value.slice(segment.end);
      var inserted = (before ? " " : "") + formatName(name);
      var tail = after ? after : ", ";
      input.value = before + inserted + tail;
      var caret = (before + inserted).length + (after ? 0 : 2);
      input.setSelectionRange(caret, caret);
      close();
      status.textContent = name + " added.";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(names) {
      close();
      var taken = namesIn(input.value);
      var term = currentTerm().toLowerCase();
      names = names.filter(function (name) {
        return name.toLowerCase() === term || taken.indexOf(name.toLowerCase()) === -1;
      });
      if (!names.length) {
        status.textContent = "No existing matches; a new name becomes a new tag.";
        return;
      }
      names.forEach(function (name, i) {
        var option = document.createElement("li");
        option.id = id + "-option-" + i;
        option.className = "tag-suggest__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = name;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the field
          choose(name);
        });
        listbox.appendChild(option);
        options.push(option);
      });
      place();
      row.classList.add("tag-suggest-open");
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = names.length + (names.length === 1 ? " suggestion" : " suggestions") +
        ". Use the up and down arrow keys to choose, Enter to add.";
    }

    function currentTerm() {
      var segment = segmentAt(input.value, input.selectionStart);
      return cleanName(input.value.slice(segment.start, input.selectionStart));
    }

    function fetchSuggestions() {
      var term = currentTerm();
      if (!term) { close(); return; }
      if (request) { request.abort(); }
      request = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: request.signal
      }).then(function (response) {
        if (!response.ok) { throw new Error("suggestions unavailable"); }
        return response.json();
      }).then(function (data) {
        if (document.activeElement === input && currentTerm() === term) {
          show(data.results.map(function (result) { return result.name; }));
        }
      }).catch(function () { /* typing goes on without suggestions */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) { highlight((active + 1) % options.length); } else { fetchSuggestions(); }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault(); // pick the suggestion, do not submit the form
        choose(options[active].textContent);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", function () { close(); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
