// Live totals on budget forms. Only a convenience: the server recomputes and checks everything on
// save, and the forms work without this script. Amounts are summed as integers (millionths of the
// unit shown), never as floating point.
(function () {
  "use strict";
  function parse(text) {
    var s = String(text || "").replace(/[,\s，]/g, "");
    if (s === "") return 0;
    var m = /^(-?)(\d*)(?:\.(\d{0,6}))?$/.exec(s);
    if (!m) return null;
    var v = Number(m[2] || "0") * 1000000 + Number(((m[3] || "") + "000000").slice(0, 6));
    return m[1] ? -v : v;
  }
  function format(v) {
    var neg = v < 0; v = Math.abs(v);
    var hundredths = Math.round(v / 10000);
    var s = Math.floor(hundredths / 100) + "." + String(hundredths % 100).padStart(2, "0");
    return neg ? "-" + s : s;
  }
  function sum(form, selector) {
    var total = 0, ok = true;
    form.querySelectorAll(selector).forEach(function (input) {
      var row = input.closest("tr");
      var del = row && row.querySelector("input[type=checkbox][name$='[delete]']");
      if (del && del.checked) return;
      var v = parse(input.value);
      if (v === null) ok = false; else total += v;
    });
    return ok ? total : null;
  }
  document.querySelectorAll("form[data-live-totals]").forEach(function (form) {
    var out = document.getElementById("live-totals");
    if (!out) return;
    function update() {
      var rev = sum(form, "input[name^='rev[']");
      var exp = sum(form, "input[name^='line['][name$='[amount]']");
      if (rev === null || exp === null) { out.textContent = out.dataset.invalid; return; }
      out.textContent = out.dataset.template.replace("{0}", format(rev)).replace("{1}", format(exp)).replace("{2}", format(rev - exp));
      out.classList.toggle("unbalanced", rev !== exp);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });
})();

// Tables wider than the screen scroll sideways; on a phone nothing shows that they do. Say so above each one and
// fade the edge that hides more columns, until it is scrolled to the end.
(function () {
  "use strict";
  var cue = document.documentElement.lang === "en" ? "Swipe sideways to see the whole table →" : "表格较宽，左右滑动查看全部 →";
  function mark(box) {
    var overflows = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("more-right", overflows && box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
    var before = box.previousElementSibling;
    var has = before && before.classList.contains("scroll-cue");
    if (overflows && !has) {
      var p = document.createElement("p");
      p.className = "scroll-cue";
      p.textContent = cue;
      box.parentNode.insertBefore(p, box);
    } else if (!overflows && has) {
      before.remove();
    }
  }
  function all() { document.querySelectorAll(".table-scroll").forEach(mark); }
  document.querySelectorAll(".table-scroll").forEach(function (box) {
    box.addEventListener("scroll", function () { mark(box); }, { passive: true });
  });
  window.addEventListener("resize", all);
  all();
})();

// The procurement form's catalog picker: typing in a line's 品目代码 lists matching catalog items under the field
// (by code, name or pinyin initials); choosing one fills the code, and the name and unit while the line's name is
// blank or still the catalog's. Without this script each line's 查找 button does the same through the server.
(function () {
  "use strict";
  var form = document.querySelector("form[data-catalog-endpoint]");
  if (!form || !window.fetch) return;
  var endpoint = form.dataset.catalogEndpoint;
  form.querySelectorAll("input[data-catalog-row]").forEach(function (input) {
    var row = input.dataset.catalogRow;
    var list = document.createElement("ul");
    var items = [], active = -1, timer = null, asked = 0;
    function field(name) { return form.querySelector("[name='line[" + row + "][" + name + "]']"); }
    list.id = "catalog-suggest-" + row;
    list.className = "catalog-suggest";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    // The browser's own list of earlier codes would cover this one.
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    function close() {
      list.hidden = true; items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      active = i;
      list.querySelectorAll("li[role=option]").forEach(function (li, n) {
        li.setAttribute("aria-selected", String(n === i));
      });
      if (i >= 0) input.setAttribute("aria-activedescendant", list.id + "-" + i);
    }
    function choose(item) {
      var name = field("item"), uom = field("uom");
      var follows = name.value.trim() === "" || name.value.trim() === (name.dataset.catalogName || "");
      input.value = item.code;
      if (follows) name.value = item.name;
      name.dataset.catalogName = item.name;
      if (item.unit && (follows || uom.value.trim() === "")) uom.value = item.unit;
      close();
      input.focus();
    }
    function show(found, q) {
      list.textContent = "";
      items = found;
      found.forEach(function (item, n) {
        var li = document.createElement("li");
        li.id = list.id + "-" + n;
        li.setAttribute("role", "option");
        li.textContent = item.code + " " + item.name + (item.unit ? " · " + item.unit : "");
        // mousedown, not click: a click would first blur the field and close the list.
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "none";
        none.textContent = (form.dataset.catalogNone || "").replace("{0}", q);
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      mark(-1);
    }
    function ask() {
      var q = input.value.trim(), mine = ++asked;
      if (!q) { close(); return; }
      fetch(endpoint + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && mine === asked && document.activeElement === input) show(data.matches, q);
        })
        .catch(function () { /* the 查找 button still works */ });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 200); });
    input.addEventListener("blur", function () { asked++; close(); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden || !items.length) { if (e.key === "Escape") close(); return; }
      if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(items[active]); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
  });
})();
// A signature drawn with a finger at 签发: strokes kept as SVG path data (move and line commands only) in a hidden
// field. Without this script the signature is simply left out; signing works the same.
(function () {
  "use strict";
  var pad = document.getElementById("signature-pad");
  if (!pad) return;
  var canvas = pad.querySelector("canvas"), field = pad.querySelector("input[name=signature]");
  var clear = pad.querySelector(".signature-clear");
  var ctx = canvas.getContext("2d"), path = [], drawing = false;
  ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.strokeStyle = "#1a1a1a";
  function at(e) {
    var r = canvas.getBoundingClientRect();
    var x = Math.round((e.clientX - r.left) * 300 / r.width), y = Math.round((e.clientY - r.top) * 100 / r.height);
    return [Math.max(0, Math.min(300, x)), Math.max(0, Math.min(100, y))];
  }
  canvas.addEventListener("pointerdown", function (e) {
    drawing = true; var p = at(e); path.push("M" + p[0] + " " + p[1]);
    ctx.beginPath(); ctx.moveTo(p[0], p[1]); canvas.setPointerCapture(e.pointerId); e.preventDefault();
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!drawing) return; var p = at(e); path.push("L" + p[0] + " " + p[1]);
    ctx.lineTo(p[0], p[1]); ctx.stroke(); field.value = path.join(" "); e.preventDefault();
  });
  function end() { drawing = false; field.value = path.join(" "); }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  clear.addEventListener("click", function () { path = []; field.value = ""; ctx.clearRect(0, 0, 300, 100); });
})();
