// The reader's own languages (the browser's settings) move to the top of each list, marked.
// The page works without it: English first, then every language in the EU's order.
(function () {
  var tags = navigator.languages || [navigator.language || ""];
  var wanted = [];
  for (var i = 0; i < tags.length; i++) {
    var code = String(tags[i]).toLowerCase().split("-")[0];
    if (/^[a-z]{2}$/.test(code) && code !== "en" && wanted.indexOf(code) < 0) wanted.push(code);
  }
  var lists = document.querySelectorAll("ul.languages");
  for (var l = 0; l < lists.length; l++) {
    for (var w = wanted.length - 1; w >= 0; w--) {
      var item = lists[l].querySelector('li.language[data-code="' + wanted[w] + '"]');
      if (item) {
        lists[l].insertBefore(item, lists[l].firstChild);
        item.classList.add("yours");
      }
    }
  }
})();
