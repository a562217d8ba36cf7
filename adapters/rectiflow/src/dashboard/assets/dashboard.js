// 整改驾驶舱 — the dashboard's only script. The pages work without it; it keeps the page's
// script errors in `window.dashboardErrors`, where the browser tests (or a reader at the
// console) find them.
window.dashboardErrors = [];
window.addEventListener("error", function (event) {
  window.dashboardErrors.push(String(event.message || event.type));
});
window.addEventListener("unhandledrejection", function (event) {
  window.dashboardErrors.push("unhandled rejection: " + String(event.reason));
});
