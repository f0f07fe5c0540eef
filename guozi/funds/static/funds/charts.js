// The funds charts (funds/charts.html); data from json_script, labels from data- attributes.
(() => {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  echarts.init(document.getElementById("chart-kind")).setOption({
    tooltip: {trigger: "item", formatter: "{b}: {c}亿元 ({d}%)"},
    series: [{type: "pie", radius: ["35%", "65%"], data: data.by_kind, label: {formatter: "{b}\n{c}亿元"}}],
  });
  const paid = document.getElementById("chart-paid");
  const {committed, paidIn} = paid.dataset;
  echarts.init(paid).setOption({
    tooltip: {trigger: "axis"}, legend: {data: [committed, paidIn]},
    xAxis: {type: "category", data: data.funds, axisLabel: {interval: 0, rotate: 20}}, yAxis: {type: "value"},
    series: [
      {name: committed, type: "bar", data: data.committed},
      {name: paidIn, type: "bar", data: data.paid_in},
    ],
  });
})();
