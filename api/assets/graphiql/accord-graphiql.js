// Accord's GraphiQL page: a bearer-token field above GraphiQL. Served by
// `accord serve` (GET /graphql/assets/…) with React, ReactDOM and GraphiQL
// from the binary itself; it loads nothing from elsewhere.
//
// The token is the first thing the page asks for. It is kept in this
// browser's localStorage (`accord:token`) and sent as
// `Authorization: Bearer …` with every request, the schema's included; a
// new token, or a change in the Headers tab, fetches the schema again.
// GraphiQL keeps the Headers tab across reloads too (`shouldPersistHeaders`);
// a header written there wins over the token field.
(function () {
  'use strict';

  var h = React.createElement;
  var ENDPOINT = '/graphql';
  var TOKEN_KEY = 'accord:token';
  var TABS_KEY = 'graphiql:tabState';
  // How long the Headers tab must rest before the schema is fetched again.
  var HEADERS_SETTLE_MS = 600;

  function stored() {
    try {
      return window.localStorage.getItem(TOKEN_KEY) || '';
    } catch (_) {
      return '';
    }
  }

  function store(token) {
    try {
      if (token) {
        window.localStorage.setItem(TOKEN_KEY, token);
      } else {
        window.localStorage.removeItem(TOKEN_KEY);
      }
    } catch (_) {
      // Storage refused (private mode): the token lasts until reload.
    }
  }

  // "Bearer eyJ…" or "eyJ…" pasted: the token alone.
  function clean(text) {
    return text.trim().replace(/^bearer\s+/i, '');
  }

  // Who a token names, read from its payload for the status line (the
  // server checks the token; this is only what it claims).
  function describe(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      var bytes = Uint8Array.from(window.atob(part), function (c) {
        return c.charCodeAt(0);
      });
      var claims = JSON.parse(new TextDecoder().decode(bytes));
      var who = claims.name || claims.sub || 'someone';
      var roles = [].concat(claims.roles || claims.role || []).join(', ');
      var org = claims.org || '';
      var text = who + (roles || org ? ' (' + [roles, org].filter(Boolean).join(', ') + ')' : '');
      if (claims.exp) {
        var expires = new Date(claims.exp * 1000);
        text += expires < new Date() ? ', expired ' : ', until ';
        text += expires.toLocaleString();
      }
      return text;
    } catch (_) {
      return 'a token that is not a JWT';
    }
  }

  var NO_TOKEN = 'No token: paste one into the Token field above (or write an Authorization header in the Headers tab).';

  // The Headers tab's text as an object, or null when it is not one.
  function parseHeaders(text) {
    try {
      var value = text && text.trim() ? JSON.parse(text) : {};
      return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
    } catch (_) {
      return null;
    }
  }

  // The headers GraphiQL kept for its active tab (`shouldPersistHeaders`),
  // as GraphiQL 4 stores them; {} when there are none or the format differs.
  function keptHeaders() {
    try {
      var state = JSON.parse(window.localStorage.getItem(TABS_KEY) || 'null');
      var tab = state && state.tabs && state.tabs[state.activeTabIndex];
      return parseHeaders(tab && tab.headers) || {};
    } catch (_) {
      return {};
    }
  }

  // Whether headers carry a token.
  function authorizes(headers) {
    return Object.keys(headers || {}).some(function (name) {
      return name.toLowerCase() === 'authorization' && headers[name];
    });
  }

  function TokenBar(props) {
    var draft = React.useState(props.token);
    var value = draft[0];
    var setValue = draft[1];
    var input = React.useRef(null);
    React.useEffect(function () {
      if (!props.token && input.current) {
        input.current.focus();
      }
    }, [props.token]);
    function submit(event) {
      event.preventDefault();
      props.onToken(clean(value));
    }
    function forget() {
      setValue('');
      props.onToken('');
    }
    var status = props.token
      ? 'Sending the token of ' + describe(props.token) + '.'
      : 'Paste a bearer token (`accord token …`, or one printed by `accord serve --demo`) to load the schema.';
    return h(
      'form',
      { className: 'accord-token', onSubmit: submit, 'aria-label': 'Bearer token' },
      h('label', { htmlFor: 'accord-token-input' }, 'Token'),
      h('input', {
        id: 'accord-token-input',
        ref: input,
        type: 'password',
        autoComplete: 'off',
        spellCheck: false,
        placeholder: 'eyJ…',
        value: value,
        onChange: function (event) {
          setValue(event.target.value);
        },
      }),
      h('button', { type: 'submit', id: 'accord-token-use' }, 'Use token'),
      h('button', { type: 'button', id: 'accord-token-forget', onClick: forget, disabled: !props.token && !value }, 'Forget'),
      h('span', { className: 'accord-token-status', id: 'accord-token-status', role: 'status' }, status),
    );
  }

  function App() {
    var tokenState = React.useState(stored);
    var token = tokenState[0];
    var setToken = tokenState[1];
    // Bumped when the Headers tab settles on other valid headers: a new
    // fetcher makes GraphiQL fetch the schema again, with those headers.
    var headersState = React.useState(0);
    var headersVersion = headersState[0];
    var setHeadersVersion = headersState[1];
    var editorHeaders = React.useRef(null);
    if (editorHeaders.current === null) {
      editorHeaders.current = keptHeaders();
    }
    var lastHeaders = React.useRef(JSON.stringify(editorHeaders.current));
    var timer = React.useRef(null);

    var fetcher = React.useMemo(
      function () {
        var send = GraphiQL.createFetcher({
          url: ENDPOINT,
          headers: token ? { Authorization: 'Bearer ' + token } : {},
        });
        return function (params, options) {
          // GraphiQL fetches the schema on start before its Headers tab
          // holds the headers it kept; those are taken from its storage.
          var given = options && options.headers;
          var headers = given && Object.keys(given).length > 0 ? given : editorHeaders.current;
          if (!token && !authorizes(headers)) {
            // Every request would be refused: say why without asking.
            return Promise.resolve({ errors: [{ message: NO_TOKEN }] });
          }
          return send(params, Object.assign({}, options, { headers: headers }));
        };
      },
      [token, headersVersion],
    );

    function onToken(next) {
      store(next);
      setToken(next);
    }

    function onEditHeaders(text) {
      var headers = parseHeaders(text);
      if (headers === null) {
        return; // Not JSON yet: the user is still typing.
      }
      editorHeaders.current = headers;
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(function () {
        var normal = JSON.stringify(headers);
        if (normal !== lastHeaders.current) {
          lastHeaders.current = normal;
          setHeadersVersion(function (v) {
            return v + 1;
          });
        }
      }, HEADERS_SETTLE_MS);
    }

    return h(
      React.Fragment,
      null,
      h(TokenBar, { token: token, onToken: onToken }),
      h(
        'div',
        { className: 'accord-graphiql' },
        h(GraphiQL, {
          fetcher: fetcher,
          shouldPersistHeaders: true,
          onEditHeaders: onEditHeaders,
        }),
      ),
    );
  }

  ReactDOM.createRoot(document.getElementById('accord-root')).render(h(App));
})();
