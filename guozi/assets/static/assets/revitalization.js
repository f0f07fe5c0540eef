// The revitalisation overview's chart (assets/revitalization_overview.html); labels from data- attributes.
(() => {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const chart = document.getElementById("chart-months");
  const {valueLabel, cashLabel, items} = chart.dataset;
  echarts.init(chart).setOption({
    tooltip: {trigger: "axis"},
    legend: {data: [valueLabel, cashLabel, items]},
    xAxis: {type: "category", data: data.months},
    yAxis: [{type: "value", name: "亿元"}, {type: "value", name: items, minInterval: 1}],
    series: [
      {name: valueLabel, type: "bar", data: data.values},
      {name: cashLabel, type: "bar", data: data.cash},
      {name: items, type: "line", yAxisIndex: 1, data: data.counts},
    ],
  });
})();
