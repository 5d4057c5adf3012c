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
