// The census charts (assets/census.html); labels from data- attributes.
(() => {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  echarts.init(document.getElementById("chart-categories")).setOption({
    tooltip: {trigger: "item", formatter: "{b}: {c}亿元 ({d}%)"},
    series: [{type: "pie", radius: ["35%", "65%"], data: data.categories, label: {formatter: "{b}\n{c}亿元"}}],
  });
  const packages = document.getElementById("chart-packages");
  const {items, yiLabel} = packages.dataset;
  echarts.init(packages).setOption({
    tooltip: {trigger: "axis"}, legend: {data: [items, yiLabel]},
    xAxis: {type: "category", data: data.packages},
    yAxis: [{type: "value", name: items}, {type: "value", name: yiLabel}],
    series: [
      {name: items, type: "bar", data: data.package_counts},
      {name: yiLabel, type: "bar", yAxisIndex: 1, data: data.package_values},
    ],
  });
})();
