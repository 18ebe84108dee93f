// Draw every chart on the page: the spec sits in a <script type="application/json">
// whose id the container names in data-chart. vegaEmbed comes from the bundle.
(function () {
  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.drawn) return;
      el.dataset.drawn = "1";
      window.vegaEmbed(el, JSON.parse(source.textContent), { actions: false, renderer: "svg" })
        .catch(function (err) { el.textContent = "This chart could not be drawn: " + err.message; });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
