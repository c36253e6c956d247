// /docs: Swagger UI over the engine's own /openapi.json. When the engine has api.auth_token set,
// the token the web UI stored for this tab (session storage) is sent as a bearer token; without
// one, the page asks for it once.
(function () {
  var KEY = 'chitragupt.token';
  function load(asked) {
    var token = sessionStorage.getItem(KEY);
    var headers = token ? { Authorization: 'Bearer ' + token } : {};
    fetch('/openapi.json', { headers: headers }).then(function (res) {
      if (res.status === 401 && !asked) {
        var t = window.prompt('This engine needs its API token (api.auth_token):');
        if (t) {
          sessionStorage.setItem(KEY, t.trim());
          return load(true);
        }
      }
      if (!res.ok) throw new Error('GET /openapi.json: HTTP ' + res.status);
      return res.json().then(show);
    }).catch(function (e) {
      document.getElementById('swagger-ui').textContent = String(e.message || e);
    });
  }
  function show(spec) {
    window.ui = SwaggerUIBundle({
      spec: spec,
      dom_id: '#swagger-ui',
      deepLinking: true,
      validatorUrl: null,
      requestInterceptor: function (req) {
        var token = sessionStorage.getItem(KEY);
        if (token) req.headers.Authorization = 'Bearer ' + token;
        return req;
      },
    });
  }
  window.addEventListener('load', function () { load(false); });
})();
