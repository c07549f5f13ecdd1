"""JupyterHub configuration for the Servuction Workbook: an example to copy and adapt (docs/operator/jupyterhub.md).

Every user gets a single-user server that serves the workbook's pages only (`workbook singleuser`), the person
being the hub user (the workbook's setting auth_mode "jupyterhub"); all servers share one PostgreSQL. Idle servers
are stopped by jupyterhub-idle-culler. tests/browser/test_hub.py runs a real hub on this very file (it only swaps
the authenticator, the spawner and the ports), so what is here is what the test proves.

Read from the hub's environment:
  WORKBOOK_DB_URL            the shared database, e.g. postgresql+psycopg://workbook:PASSWORD@db/workbook (required)
  WORKBOOK_HUB_CULL_SECONDS  stop a user's server after this long without activity (default 3600)
  WORKBOOK_HUB_PUBLIC_URL    the hub's address as people open it, e.g. https://workbook.example.com: the 360 e-mails and
                             the coach page link raters to <it>/services/workbook-raters/voila/render/rater.ipynb
  WORKBOOK_HUB_RATER_PORT    the port of the rater service on this machine (default 8870)
  OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_AUTHORIZE_URL, OAUTH_TOKEN_URL, OAUTH_USERDATA_URL
                             your single sign-on (OpenID Connect / OAuth2, through the `oauthenticator` package);
                             without them the hub keeps its default authenticator (local system accounts)
"""
import os
import sys

c = get_config()  # noqa: F821  (JupyterHub's config loader provides it)

# -- Each user's server: the workbook's pages only -------------------------------------------------------------
# `workbook singleuser` = jupyterhub-singleuser with Voila as server extension, locked to the workbook's page routes
# (no JupyterLab, file tree, terminal, contents, kernels or sessions API), the person taken from JUPYTERHUB_USER.
c.Spawner.cmd = ["workbook", "singleuser"]
c.Spawner.environment = {
    "WORKBOOK_DB_URL": os.environ.get("WORKBOOK_DB_URL", ""),
    "WORKBOOK_AUTH_MODE": "jupyterhub",
}
c.Spawner.disable_user_config = True  # a user's own ~/.jupyter cannot re-enable anything the workbook turns off
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
# Per-user limits are enforced by container spawners (KubeSpawner: deploy/values.yaml); sized in the operator guide.
c.Spawner.mem_limit = "1G"
c.Spawner.cpu_limit = 1.0

# -- Who may log in --------------------------------------------------------------------------------------------
# The workbook shows a page only to hub users invited with `workbook invite COHORT NAME --login HUBNAME`; limit
# who may start a server at all to your organisation (allowed_groups / allowed_users of your authenticator).
# Hub admins can open any user's server (and act as that user in the workbook): keep admin_users to operators.
if os.environ.get("OAUTH_CLIENT_ID"):
    c.JupyterHub.authenticator_class = "generic-oauth"
    c.GenericOAuthenticator.client_id = os.environ["OAUTH_CLIENT_ID"]
    c.GenericOAuthenticator.client_secret = os.environ.get("OAUTH_CLIENT_SECRET", "")
    c.GenericOAuthenticator.authorize_url = os.environ.get("OAUTH_AUTHORIZE_URL", "")
    c.GenericOAuthenticator.token_url = os.environ.get("OAUTH_TOKEN_URL", "")
    c.GenericOAuthenticator.userdata_url = os.environ.get("OAUTH_USERDATA_URL", "")
    c.GenericOAuthenticator.username_claim = "preferred_username"
    c.GenericOAuthenticator.scope = ["openid", "profile"]
    c.GenericOAuthenticator.allow_all = True  # narrow with allowed_groups once your IdP sends groups

# -- Culling: stop servers nobody uses -------------------------------------------------------------------------
CULL_SECONDS = int(os.environ.get("WORKBOOK_HUB_CULL_SECONDS", "3600"))
c.JupyterHub.load_roles = [{
    "name": "jupyterhub-idle-culler-role",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["jupyterhub-idle-culler-service"],
}]
c.JupyterHub.services = [{
    "name": "jupyterhub-idle-culler-service",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_SECONDS}",
                f"--cull-every={max(10, CULL_SECONDS // 6)}"],
}]

# -- 360 raters: the rater page as a hub service ---------------------------------------------------------------
# Raters (clients, peers) have no hub account: `workbook raters serve` serves the rater page alone (nothing else
# answers) with rater-code sign-in, on the same database, behind the hub's proxy at /services/workbook-raters/ and
# without a hub login. It needs no hub API scope (no role is given to it).
RATER_SERVICE = "workbook-raters"
RATER_PORT = int(os.environ.get("WORKBOOK_HUB_RATER_PORT", "8870"))
RATER_BASE = f"/services/{RATER_SERVICE}/"
PUBLIC_URL = os.environ.get("WORKBOOK_HUB_PUBLIC_URL", "").rstrip("/")
c.JupyterHub.services.append({
    "name": RATER_SERVICE,
    "url": f"http://127.0.0.1:{RATER_PORT}",
    "command": ["workbook", "raters", "serve", f"--port={RATER_PORT}", f"--base-url={RATER_BASE}"],
    "environment": {
        "WORKBOOK_DB_URL": os.environ.get("WORKBOOK_DB_URL", ""),
        "WORKBOOK_HOST": "127.0.0.1",
        # raters reach it through the hub's proxy on this machine: their own address is its X-Forwarded-For
        # (wrong rater codes are slowed down per rater's address, not for everyone behind the proxy at once)
        "WORKBOOK_TRUSTED_PROXIES": os.environ.get("WORKBOOK_TRUSTED_PROXIES", "127.0.0.1,::1"),
        "WORKBOOK_PUBLIC_URL": PUBLIC_URL + RATER_BASE.rstrip("/") if PUBLIC_URL else "",
    },
    "display": False,  # not a link on the hub's home page: raters come by their e-mail's link
})
if PUBLIC_URL:  # the coach page shows raters' links (and e-mails them) with this address
    c.Spawner.environment["WORKBOOK_PUBLIC_URL"] = PUBLIC_URL + RATER_BASE.rstrip("/")
