/* The leader dashboard: draws each section's chart with ECharts from the figures
 * embedded in the page (#dashboard-data), and wires the table toggle, the sort of
 * the regions compared, the drill-down on a bar and the full-screen refresh. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  var dataNode = document.getElementById("dashboard-data");
  if (!root || !dataNode) return;
  var figures = JSON.parse(dataNode.textContent);
  var dark = document.body.classList.contains("dashboard-fullscreen");
  var textColor = dark ? "#e8eef7" : "#333";
  var charts = [];
  // Series that are not statuses keep out of red, amber and green, which mean 滞后/逾期, 风险 and 达标.
  var PALETTE = ["#0d6efd", "#6f42c1", "#0dcaf0", "#6c757d", "#d63384", "#20c997"];

  function range(count) {
    var result = [];
    for (var i = 0; i < count; i += 1) result.push(i);
    return result;
  }

  function value(cell) {
    return cell === null || cell === undefined ? 0 : cell;
  }

  // A legend sits below the plot, never over the data; one series needs none.
  function legendFor(count) {
    return count > 1 ? { bottom: 0, textStyle: { color: textColor } } : { show: false };
  }

  function gridFor(count) {
    return { left: 8, right: 32, top: 12, bottom: count > 1 ? 36 : 8, containLabel: true };
  }

  function barOption(section, order) {
    var spec = section.chart;
    var rows = order.map(function (i) { return section.rows[i]; });
    // Targets send short labels (title cut, then year and 合计/新增) so that no two collide or lose their year.
    var categories = order.map(function (i) { return spec.labels ? spec.labels[i] : String(section.rows[i][spec.x]); });
    var category = {
      type: "category",
      data: spec.horizontal ? categories.slice().reverse() : categories,
      axisLabel: {
        color: textColor, interval: 0, rotate: !spec.horizontal && categories.length > 5 ? 30 : 0,
        width: spec.horizontal ? (dark ? 320 : 260) : 120, overflow: "truncate"
      }
    };
    var axis = { type: "value", axisLabel: { color: textColor } };
    var series = spec.series.map(function (index) {
      var data = rows.map(function (row, position) {
        var colour = spec.colours ? spec.colours[order[position]] : null;
        return colour ? { value: value(row[index]), itemStyle: { color: colour } } : value(row[index]);
      });
      return { name: section.columns[index], type: "bar", data: spec.horizontal ? data.reverse() : data, emphasis: { focus: "series" } };
    });
    return {
      color: PALETTE,
      tooltip: { trigger: "axis" },
      legend: legendFor(series.length),
      grid: gridFor(series.length),
      xAxis: spec.horizontal ? axis : category,
      yAxis: spec.horizontal ? category : axis,
      series: series
    };
  }

  function lineOption(section) {
    var spec = section.chart;
    return {
      color: PALETTE,
      tooltip: { trigger: "axis" },
      legend: legendFor(spec.series.length),
      grid: gridFor(spec.series.length),
      xAxis: { type: "category", data: section.rows.map(function (row) { return row[spec.x]; }), axisLabel: { color: textColor } },
      yAxis: { type: "value", axisLabel: { color: textColor } },
      series: spec.series.map(function (index) {
        return { name: section.columns[index], type: "line", smooth: true, data: section.rows.map(function (row) { return value(row[index]); }) };
      })
    };
  }

  function pieOption(section) {
    var spec = section.chart;
    return {
      tooltip: { trigger: "item" },
      legend: { bottom: 0, textStyle: { color: textColor } },
      series: [{
        type: "pie",
        radius: ["30%", "58%"],
        center: ["50%", "45%"],
        avoidLabelOverlap: true,
        label: { color: textColor, formatter: "{b}: {c}" },
        labelLayout: { hideOverlap: true },
        // Empty slices are left out so that their zero labels do not crowd the ring.
        data: section.rows.map(function (row, index) {
          var item = { name: row[spec.x], value: value(row[spec.series[0]]) };
          if (spec.colours) item.itemStyle = { color: spec.colours[index] };
          return item;
        }).filter(function (item) { return item.value > 0; })
      }]
    };
  }

  function funnelOption(section, row) {
    var stages = range(section.columns.length).slice(1);
    return {
      title: { text: row[section.chart.name], left: "center", textStyle: { fontSize: 13, color: textColor, width: 220, overflow: "truncate" } },
      tooltip: { trigger: "item", formatter: "{b}: {c}" },
      series: [{
        type: "funnel",
        sort: "none",
        top: 36, bottom: 8, left: "10%", width: "80%",
        minSize: "20%",
        label: { position: "inside", formatter: "{b} {c}", color: "#fff" },
        data: stages.map(function (index) { return { name: section.columns[index], value: value(row[index]) }; })
      }]
    };
  }

  function draw(node, option) {
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  function drawSection(section) {
    var node = root.querySelector('[data-chart="' + section.key + '"]');
    if (!node || !section.chart || !section.rows.length || !window.echarts) return;
    var type = section.chart.type;
    if (type === "funnel") {
      section.rows.forEach(function (row) {
        var cell = document.createElement("div");
        node.appendChild(cell);
        draw(cell, funnelOption(section, row));
      });
      return;
    }
    if (type === "line") { draw(node, lineOption(section)); return; }
    if (type === "pie") { draw(node, pieOption(section)); return; }
    var order = range(section.rows.length);
    if (section.chart.horizontal) {
      // One row of 26 px per bar: labels never overlap however many targets there are.
      node.style.height = Math.max(320, section.rows.length * 26 + 40) + "px";
    }
    var chart = draw(node, barOption(section, order));
    if (section.chart.drill && section.row_ids) {
      chart.on("click", function (params) {
        var index = order[params.dataIndex];
        window.location.href = root.dataset.drillUrl.replace("__ID__", section.row_ids[index]);
      });
    }
    var sorter = root.querySelector('[data-section="' + section.key + '"] [data-sort-by]');
    if (sorter) {
      sorter.addEventListener("change", function () {
        var column = sorter.value === "" ? null : Number(sorter.value);
        order = range(section.rows.length);
        if (column !== null) {
          order.sort(function (a, b) { return value(section.rows[b][column]) - value(section.rows[a][column]); });
        }
        chart.setOption(barOption(section, order), { notMerge: true });
        var body = root.querySelector('[data-table="' + section.key + '"] tbody');
        order.forEach(function (index) { body.appendChild(body.querySelector('tr[data-index="' + index + '"]')); });
      });
    }
  }

  figures.sections.forEach(drawSection);

  root.querySelectorAll("[data-toggle-table]").forEach(function (button) {
    button.addEventListener("click", function () {
      var card = button.closest("[data-section]");
      var chart = card.querySelector("[data-chart]");
      var table = card.querySelector("[data-table]");
      if (!table) return;
      var showTable = table.classList.contains("d-none");
      table.classList.toggle("d-none", !showTable);
      if (chart) chart.classList.toggle("d-none", showTable);
      button.querySelector("span").textContent = showTable ? root.dataset.labelChart : root.dataset.labelTable;
      charts.forEach(function (item) { item.resize(); });
    });
  });

  window.addEventListener("resize", function () { charts.forEach(function (item) { item.resize(); }); });

  var refresh = Number(root.dataset.refreshSeconds || 0);
  if (refresh > 0) {
    window.setTimeout(function () { window.location.reload(); }, refresh * 1000);
  }
})();
