// The supervision dashboard's charts (supervision/dashboard.html); data from json_script.
(() => {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  echarts.init(document.getElementById("chart-status")).setOption({
    tooltip: {trigger: "item"}, color: ["#198754", "#0d6efd", "#dc3545", "#6c757d"],
    series: [{type: "pie", radius: ["35%", "65%"], data: data.status, label: {formatter: "{b}\n{c}"}}],
  });
  echarts.init(document.getElementById("chart-units")).setOption({
    tooltip: {trigger: "axis"}, legend: {}, color: ["#198754", "#0d6efd", "#dc3545", "#6c757d"],
    xAxis: {type: "category", data: data.units}, yAxis: {type: "value", minInterval: 1},
    series: data.series.map(s => ({...s, type: "bar", stack: "all"})),
  });
})();
