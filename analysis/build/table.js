document.querySelectorAll("details.analysis-search").forEach(function (box) {
  var table = box.querySelector("table"), body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows), size = 25, page = 0, shown = rows;
  var bar = document.createElement("div"), input = document.createElement("input");
  var info = document.createElement("span"), prev = document.createElement("button");
  var next = document.createElement("button");
  input.type = "search"; input.placeholder = "Search the rows"; input.className = "table-search";
  prev.textContent = "Previous"; next.textContent = "Next"; info.className = "table-info";
  [input, prev, next, info].forEach(function (e) { bar.appendChild(e); });
  table.parentNode.insertBefore(bar, table);
  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / size));
    page = Math.min(page, pages - 1);
    rows.forEach(function (r) { r.style.display = "none"; });
    shown.slice(page * size, page * size + size).forEach(function (r) { r.style.display = ""; });
    info.textContent = " " + shown.length + " of " + rows.length + " rows, page " +
      (page + 1) + " of " + pages;
  }
  input.addEventListener("input", function () {
    var q = input.value.toLowerCase();
    shown = rows.filter(function (r) { return r.textContent.toLowerCase().indexOf(q) >= 0; });
    page = 0; draw();
  });
  prev.addEventListener("click", function () { page = Math.max(0, page - 1); draw(); });
  next.addEventListener("click", function () { page += 1; draw(); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var up = true; th.style.cursor = "pointer"; th.title = "Sort by this column";
    th.addEventListener("click", function () {
      function key(r) { var t = r.cells[col].textContent.trim(), n = parseFloat(t);
        return isNaN(n) || String(n) !== t.replace(/,/g, "") && isNaN(Number(t)) ? t : n; }
      rows.sort(function (a, b) { var x = key(a), y = key(b);
        var c = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0)
                                        : (typeof x === "number" ? -1 : 1);
        return up ? c : -c; });
      up = !up; rows.forEach(function (r) { body.appendChild(r); });
      input.dispatchEvent(new Event("input"));
    });
  });
  draw();
});
