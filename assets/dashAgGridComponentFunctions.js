/* Cell renderers for the organisations table. Links are written only for http(s) URLs, as text, and open
   without giving the new page a handle on this one. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.SafeLink = function (props) {
  var url = typeof props.value === "string" ? props.value : "";
  if (!/^https?:\/\//i.test(url)) {
    return React.createElement("span", null, url);
  }
  var shown = url.replace(/^https?:\/\/(www\.)?/i, "");
  return React.createElement(
    "a",
    { href: url, target: "_blank", rel: "noopener noreferrer", title: url },
    shown.length > 48 ? shown.slice(0, 47) + "…" : shown
  );
};
