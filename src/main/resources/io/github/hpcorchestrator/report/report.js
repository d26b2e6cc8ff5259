// Draws one uPlot chart per .plot[data-metric] from the report JSON inlined in the page, then
// marks the container data-rendered="true" (tests and people can tell a chart really drew).
(function () {
  "use strict";
  var report = JSON.parse(document.getElementById("report-data").textContent);
  var palette = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bc4c00", "#0598bc", "#bf3989",
    "#4d2d00", "#6e7781", "#116329"];
  var colours = {};
  report.targets.forEach(function (t, i) { colours[t.job + "/" + t.instance] = palette[i % palette.length]; });

  function name(labels) {
    if (labels.job !== undefined || labels.instance !== undefined) {
      return (labels.job || "") + "/" + (labels.instance || "");
    }
    var parts = Object.keys(labels).filter(function (k) { return k !== "__name__"; })
      .map(function (k) { return k + "=" + labels[k]; });
    return parts.length ? parts.join(", ") : "value";
  }

  function colour(key, i) {
    if (!(key in colours)) {
      colours[key] = palette[(Object.keys(colours).length + i) % palette.length];
    }
    return colours[key];
  }

  function number(text) {
    var v = Number(text);
    return isFinite(v) ? v : null;
  }

  function formatter(unit) {
    function fixed(v, digits) { return Number(v.toFixed(digits)).toString(); }
    if (unit === "bytes") {
      return function (v) {
        if (v == null) return "-";
        var units = ["B", "KiB", "MiB", "GiB", "TiB"], i = 0, a = Math.abs(v);
        while (a >= 1024 && i < units.length - 1) { a /= 1024; v /= 1024; i++; }
        return fixed(v, 1) + " " + units[i];
      };
    }
    if (unit === "seconds") {
      return function (v) {
        if (v == null) return "-";
        return Math.abs(v) < 1 ? fixed(v * 1000, 2) + " ms" : fixed(v, 2) + " s";
      };
    }
    return function (v) { return v == null ? "-" : fixed(v, 3) + (unit === "cores" ? " cores" : ""); };
  }

  // 24-hour UTC times like the tables: the date on the first tick, then times of day.
  var utc = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); };
  var withDate = uPlot.fmtDate("{YYYY}-{MM}-{DD} {HH}:{mm}");
  var minutes = uPlot.fmtDate("{HH}:{mm}");
  var seconds = uPlot.fmtDate("{HH}:{mm}:{ss}");
  function timeTicks(u, splits, axisIdx, space, incr) {
    return splits.map(function (ts, i) {
      return i === 0 ? withDate(utc(ts)) : (incr < 60 ? seconds : minutes)(utc(ts));
    });
  }

  function draw(el) {
    var metric = report.metrics[el.getAttribute("data-metric")];
    var times = {};
    metric.series.forEach(function (s) { s.samples.forEach(function (p) { times[p[0]] = true; }); });
    var xs = Object.keys(times).map(Number).sort(function (a, b) { return a - b; });
    var index = {};
    xs.forEach(function (t, i) { index[t] = i; });
    var format = formatter(metric.unit);
    var data = [xs];
    var series = [{ label: "time (UTC)" }];
    metric.series.forEach(function (s, i) {
      var ys = new Array(xs.length).fill(null);
      s.samples.forEach(function (p) { ys[index[p[0]]] = number(p[1]); });
      data.push(ys);
      var label = name(s.labels);
      series.push({
        label: label,
        stroke: colour(label, i),
        width: 1.5,
        value: function (u, v) { return format(v); }
      });
    });
    var zeroOne = metric.unit === "" && /^(up|probe_success)$/.test(el.getAttribute("data-metric"));
    var opts = {
      width: Math.max(el.clientWidth, 400),
      height: 280,
      tzDate: utc,
      scales: {
        x: { time: true, range: function () { return [report.window.start, report.window.end]; } },
        y: zeroOne ? { range: function () { return [-0.05, 1.05]; } } : {}
      },
      axes: [
        { values: timeTicks, space: 80 },
        { size: 80, values: function (u, vals) { return vals.map(format); } }
      ],
      series: series
    };
    var plot = new uPlot(opts, data, el);
    window.addEventListener("resize", function () {
      plot.setSize({ width: Math.max(el.clientWidth, 400), height: 280 });
    });
  }

  document.querySelectorAll(".plot[data-metric]").forEach(function (el) {
    try {
      draw(el);
      el.setAttribute("data-rendered", "true");
    } catch (e) {
      el.setAttribute("data-render-error", String(e));
      var p = document.createElement("p");
      p.className = "render-error";
      p.textContent = "Could not draw this chart: " + e;
      el.appendChild(p);
    }
  });
})();
