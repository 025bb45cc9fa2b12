// What every page of the app needs, loaded in <head> without `defer` so that it runs
// before the first paint. A script file, not inline code: the Content Security Policy
// (strategy/settings.py) lets no inline script run.

// Styles know that JavaScript runs (app.css: .js-only, .nojs-only), from the start.
document.documentElement.classList.add("js");

// A select marked data-submit-on-change sends its form as soon as it changes (the
// interface language); without JavaScript the form's <noscript> button does.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change")) {
    field.form?.submit();
  }
});
