"""Apache Tomcat as the official images run it: ``catalina.sh run``.

The HTTP connector (``http-nio-8080``) listens on 8080 and maps a URL to a
web application under $CATALINA_HOME/webapps (``/docs/…`` → webapps/docs,
anything else → webapps/ROOT), served from the container's filesystem at the
time of the request (autoDeploy without its 10 s scan): a directory's welcome
file is index.html, index.htm or index.jsp (the image's index.jsp holds the
page as Jasper renders it).  Images built since December 2019 ship an empty
webapps (the defaults are in webapps.dist), so ``/`` is Tomcat's 404 page
"HTTP Status 404 – Not Found"; ``cp -r webapps.dist/* webapps/`` fixes it as
on a real container.

Plausible, not recorded: the start-up log (the JULI console format, on
stderr, with the real logger names but a few of the lines), the 404 page
(Tomcat 8.5+'s ErrorReportValve markup; Tomcat 7's older page is condensed),
headers (8.5+ omits the reason phrase; 7 sends ``Server: Apache-Coyote/1.1``)
and JSP responses with a Content-Length instead of chunked encoding.
``catalina.sh start`` starts Tomcat in the background and returns, so as
PID 1 the container exits, as the real one does.
"""
from __future__ import annotations

import time

from ...kernel.socket import SocketError
from ...kernel.tcp import TcpListener
from .http import http_date, locate, mime_of, read_request, wall

PORT = 8080
KEEPALIVE = 20.0                  # connectionTimeout 20000 in server.xml
WELCOME = ("index.html", "index.htm", "index.jsp")
REASONS = {200: "OK", 302: "Found", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}
DESCRIPTIONS = {
    400: "The server cannot or will not process the request due to something that is perceived to be "
         "a client error (e.g., malformed request syntax, invalid request message framing, or deceptive "
         "request routing).",
    404: "The origin server did not find a current representation for the target resource or is not "
         "willing to disclose that one exists.",
    405: "The method received in the request-line is known by the origin server but not supported by "
         "the target resource.",
}
STYLE = ("body {font-family:Tahoma,Arial,sans-serif;} h1, h2, h3, b {color:white;background-color:#525D76;} "
         "h1 {font-size:22px;} h2 {font-size:16px;} h3 {font-size:14px;} p {font-size:12px;} "
         "a {color:black;} .line {height:1px;background-color:#525D76;border:none;}")


class Tomcat:
    def __init__(self, proc):
        self.proc = proc
        self.home = proc.env.get("CATALINA_HOME", "/usr/local/tomcat")
        self.version = proc.env.get("TOMCAT_VERSION", "10.1.16")
        self.major = int(self.version.split(".")[0]) if self.version[:1].isdigit() else 10
        self.connector = f"http-{'bio' if self.major <= 7 else 'nio'}-{PORT}"

    def log(self, logger: str, text: str, millis: int = 0) -> None:
        t = wall(self.proc.sched.now) + millis / 1000
        stamp = time.strftime("%d-%b-%Y %H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}"
        self.proc.err(f"{stamp} INFO [main] {logger} {text}\n")

    def startup(self) -> None:
        v = f"Apache Tomcat/{self.version}"
        self.log("org.apache.catalina.startup.VersionLoggerListener.log", f"Server version name:   {v}")
        self.log("org.apache.catalina.startup.VersionLoggerListener.log", f"CATALINA_BASE:         {self.home}")
        self.log("org.apache.catalina.startup.VersionLoggerListener.log", f"CATALINA_HOME:         {self.home}")
        self.log("org.apache.coyote.AbstractProtocol.init", f'Initializing ProtocolHandler ["{self.connector}"]', 310)
        self.log("org.apache.catalina.startup.Catalina.load", "Server initialization in [512] milliseconds", 320)
        self.log("org.apache.catalina.core.StandardService.startInternal", "Starting service [Catalina]", 350)
        self.log("org.apache.catalina.core.StandardEngine.startInternal", f"Starting Servlet engine: [{v}]", 350)
        webapps = f"{self.home}/webapps"
        apps = sorted(self.proc.fs.listdir(webapps)) if self.proc.fs.is_dir(webapps) else []
        for app in apps:
            self.log("org.apache.catalina.startup.HostConfig.deployDirectory",
                     f"Deploying web application directory [{webapps}/{app}]", 380)
        self.log("org.apache.coyote.AbstractProtocol.start", f'Starting ProtocolHandler ["{self.connector}"]', 420)
        self.log("org.apache.catalina.startup.Catalina.start", "Server startup in [98] milliseconds", 430)

    # -- HTTP ----------------------------------------------------------------
    def serve(self, lst):
        try:
            while True:
                conn = yield lst.accept(None)
                if conn is not None:
                    self.proc.sched.process(self.connection(conn), name="tomcat-conn")
        finally:
            lst.close()

    def connection(self, conn):
        buf = b""
        while True:
            req, buf = yield from read_request(conn, buf, KEEPALIVE)
            if req is None or not self.respond(conn, req):
                break
        conn.close()

    def _map(self, path: str):
        """The web application and the path inside it."""
        webapps = f"{self.home}/webapps"
        first, _, rest = path.lstrip("/").partition("/")
        if first and first != "ROOT" and self.proc.fs.is_dir(f"{webapps}/{first}"):
            return f"{webapps}/{first}", "/" + rest, "/" + first
        if self.proc.fs.is_dir(f"{webapps}/ROOT"):
            return f"{webapps}/ROOT", path, ""
        return None, path, ""

    def respond(self, conn, req) -> bool:
        fs = self.proc.fs
        keep = req.keep_alive if req.method else False
        body, mime, location = None, "text/html", None
        code = 404
        if not req.method:
            code, keep = 400, False
        else:
            app, inner, ctx = self._map(req.path)
            if app is not None:
                kind, full = locate(fs, app, inner)
                if kind == "dir":
                    if not req.path.endswith("/"):
                        kind, code, location = "redirect", 302, req.path + "/"
                    else:
                        for name in WELCOME:
                            cand = full.rstrip("/") + "/" + name
                            if fs.exists(cand) and not fs.is_dir(cand):
                                kind, full = "file", cand
                                break
                if kind == "file":
                    if req.method not in ("GET", "HEAD", "POST"):
                        code = 405
                    else:
                        code = 200
                        body = fs.read(full).encode("utf-8", "replace")
                        mime = ("text/html;charset=UTF-8" if full.endswith(".jsp")
                                else mime_of(full))
                elif kind == "bad":
                    code = 400
        if code == 302:
            body = b""
        elif code != 200:
            body = self.error_page(code)
            mime = "text/html;charset=utf-8"
        status = f"HTTP/1.1 {code} {REASONS[code]}" if self.major <= 7 else f"HTTP/1.1 {code} "
        hdr = status + "\r\n"
        if self.major <= 7:
            hdr += "Server: Apache-Coyote/1.1\r\n"
        if location:
            hdr += f"Location: {location}\r\n"
        hdr += f"Content-Type: {mime}\r\n"
        if code not in (200, 302):
            hdr += "Content-Language: en\r\n"
        hdr += f"Content-Length: {len(body)}\r\nDate: {http_date(wall(self.proc.sched.now))}\r\n"
        if self.major >= 9 and keep:
            hdr += "Keep-Alive: timeout=20\r\nConnection: keep-alive\r\n"
        elif not keep:
            hdr += "Connection: close\r\n"
        hdr += "\r\n"
        try:
            conn.send(hdr.encode("latin-1") + (b"" if req.method == "HEAD" else body))
        except SocketError:
            return False
        return keep

    def error_page(self, code: int) -> bytes:
        v = f"Apache Tomcat/{self.version}"
        reason = REASONS[code]
        if self.major <= 7:
            return (f"<html><head><title>{v} - Error report</title></head><body>"
                    f"<h1>HTTP Status {code} - </h1><HR size=\"1\" noshade=\"noshade\">"
                    f"<p><b>type</b> Status report</p><p><b>description</b> <u>The requested resource "
                    f"is not available.</u></p><HR size=\"1\" noshade=\"noshade\"><h3>{v}</h3>"
                    "</body></html>").encode()
        return (f'<!doctype html><html lang="en"><head><title>HTTP Status {code} – {reason}</title>'
                f'<style type="text/css">{STYLE}</style></head><body><h1>HTTP Status {code} – {reason}</h1>'
                '<hr class="line" /><p><b>Type</b> Status Report</p>'
                f"<p><b>Description</b> {DESCRIPTIONS[code]}</p>"
                f'<hr class="line" /><h3>{v}</h3></body></html>').encode("utf-8")


def catalina_main(proc):
    args = proc.argv[1:]
    action = args[0] if args else ""
    tc = Tomcat(proc)
    if action == "version":
        proc.out(f"Server version: Apache Tomcat/{tc.version}\n")
        return 0
    if action not in ("run", "start"):
        proc.out("Usage: catalina.sh ( commands ... )\ncommands:\n"
                 "  run               Start Catalina in the current window\n"
                 "  start             Start Catalina in a separate window\n"
                 "  stop              Stop Catalina, waiting up to 5 seconds for the process to end\n"
                 "  version           What version of tomcat are you running?\n")
        return 1
    try:
        lst = TcpListener(proc.netns, "0.0.0.0", PORT)
    except SocketError:
        tc.startup()
        proc.err(f"SEVERE [main] org.apache.catalina.core.StandardService.initInternal Failed to initialize "
                 f"connector [Connector[HTTP/1.1-{PORT}]] (Address already in use)\n")
        return 1
    lst.v6 = True                      # the JVM's socket is dual-stack: netstat shows :::8080
    tc.startup()
    server = tc.serve(lst)
    if action == "start":
        proc.sched.process(server, name="catalina")
        proc.out("Tomcat started.\n")
        return 0
    return (yield from server)
