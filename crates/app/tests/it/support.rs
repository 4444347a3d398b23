//! Running the real binary, and a real browser that reports any request leaving localhost.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const KOJO: &str = env!("CARGO_BIN_EXE_kojo");

/// A fresh database URL on the test backend (SQLite temp file or a new PostgreSQL database).
pub struct Db {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub async fn fresh_db() -> Db {
    let (url, dir) = kojo_storage::testing::fresh_url().await;
    Db { url, _dir: dir }
}

/// Runs `kojo` with arguments against a database, optionally feeding stdin.
pub fn kojo(db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(KOJO);
    cmd.args(args)
        .env("KOJO_DATABASE_URL", db)
        .env_remove("KOJO_CONFIG")
        .env("KOJO_LOG", "warn")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run kojo");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A running `kojo serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    pub setup_link: Option<String>,
    pub output: Vec<String>,
}

impl Server {
    pub fn start(db: &str, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut child = Command::new(KOJO)
            .args(&args)
            .env("KOJO_DATABASE_URL", db)
            .env("KOJO_LOG", "warn")
            .current_dir(std::env::temp_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start kojo serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut output = Vec::new();
        let mut setup_link = None;
        let deadline = Instant::now() + Duration::from_secs(60);
        let url = loop {
            assert!(
                Instant::now() < deadline,
                "kojo serve did not start: {output:?}"
            );
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("kojo serve exited: {output:?}"))
                .unwrap();
            if let Some(i) = line.find("/setup/") {
                let start = line[..i].rfind("http://").unwrap();
                let end = line[i..].find(' ').map(|e| i + e).unwrap_or(line.len());
                setup_link = Some(line[start..end].to_string());
            }
            output.push(line.clone());
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            url,
            setup_link,
            output,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Where Chromium sends any request for a host other than localhost, so nothing leaves the
/// machine even if a page tried. (Chromium itself also calls home here despite the flags, so
/// the offline assertion uses the page's own network log, not this list.)
pub struct Trap {
    pub port: u16,
    pub seen: Arc<Mutex<Vec<String>>>,
}

impl Trap {
    pub fn start() -> Trap {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                std::thread::spawn(move || record(stream, &log));
            }
        });
        Trap { port, seen }
    }

    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn record(mut stream: TcpStream, log: &Mutex<Vec<String>>) {
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok();
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf).unwrap_or(0);
    let first = String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    log.lock().unwrap().push(first);
    let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
}

/// Headless Chromium driven through chromedriver, with the trap as its proxy.
pub struct Browser {
    pub client: fantoccini::Client,
    pub trap: Trap,
    /// Where downloads land.
    pub downloads: tempfile::TempDir,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        let driver_path = which("chromedriver")
            .expect("chromedriver is not installed (apt-get install chromium chromium-driver): browser tests cannot run");
        let chromium = which("chromium").expect(
            "chromium is not installed (apt-get install chromium): browser tests cannot run",
        );
        let port = free_port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let trap = Trap::start();
        let profile = tempfile::tempdir().unwrap();
        let downloads = tempfile::tempdir().unwrap();
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--window-size=1280,1000".into(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--proxy-server=http://127.0.0.1:{}", trap.port),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "args": args,
                "binary": chromium,
                "prefs": {
                    "download.default_directory": downloads.path(),
                    "download.prompt_for_download": false,
                },
            }),
        );
        // The page's network events (Network.requestWillBeSent) for the offline check.
        caps.insert(
            "goog:loggingPrefs".into(),
            serde_json::json!({ "performance": "ALL" }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = fantoccini::ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("start a Chromium session");
        Browser {
            client,
            trap,
            downloads,
            driver,
            _profile: profile,
        }
    }

    /// Every URL the pages requested since the last call (from Chromium's network log).
    pub async fn requested_urls(&self) -> Vec<String> {
        let log = self
            .client
            .issue_cmd(PerformanceLog)
            .await
            .expect("performance log");
        let mut urls = Vec::new();
        for entry in log.as_array().into_iter().flatten() {
            let Some(message) = entry["message"].as_str() else {
                continue;
            };
            let Ok(event) = serde_json::from_str::<serde_json::Value>(message) else {
                continue;
            };
            if event["message"]["method"] == "Network.requestWillBeSent"
                && let Some(url) = event["message"]["params"]["request"]["url"].as_str()
            {
                urls.push(url.to_string());
            }
        }
        urls
    }

    /// Fails if a page requested anything from a host other than localhost.
    pub async fn assert_offline(&self) {
        let urls = self.requested_urls().await;
        assert!(
            !urls.is_empty(),
            "the network log is empty: the check would prove nothing"
        );
        let outside: Vec<&String> = urls.iter().filter(|u| !is_local(u)).collect();
        assert!(
            outside.is_empty(),
            "pages requested other hosts: {outside:?}"
        );
    }

    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(fantoccini::Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let el = self
            .client
            .find(fantoccini::Locator::Css(css))
            .await
            .unwrap();
        el.clear().await.ok();
        el.send_keys(value).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(fantoccini::Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    pub async fn eval(&self, js: &str) -> serde_json::Value {
        self.client.execute(js, vec![]).await.unwrap()
    }

    /// Waits until a download with this extension has completed and returns its bytes.
    pub async fn downloaded(&self, extension: &str) -> Vec<u8> {
        for _ in 0..200 {
            let found = std::fs::read_dir(self.downloads.path())
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == extension));
            if let Some(path) = found {
                let bytes = std::fs::read(&path).unwrap();
                std::fs::remove_file(&path).unwrap();
                return bytes;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no .{extension} download appeared");
    }

    /// Waits until a CSS selector matches at least `n` elements.
    pub async fn wait_count(&self, css: &str, n: usize) {
        let mut count = 0;
        for _ in 0..200 {
            count = self
                .eval(&format!("return document.querySelectorAll({css:?}).length"))
                .await
                .as_u64()
                .unwrap_or(0) as usize;
            if count >= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The page as the user sees it says why (an error message, a conflict, a wrong page).
        let page = self.eval("return document.body.innerText").await;
        let page: String = page
            .as_str()
            .unwrap_or_default()
            .chars()
            .take(3000)
            .collect();
        panic!("never saw {n} × {css} (saw {count}); the page shows:\n{page}");
    }

    /// Saves a screenshot under target/ for a human to look at.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn stop(mut self) {
        self.client.clone().close().await.ok();
        self.driver.kill().ok();
        self.driver.wait().ok();
    }
}

/// A URL that stays on this machine: a network URL to a loopback host, or a scheme that never
/// touches the network (data:, blob:, about:, the browser's own chrome:// pages).
pub fn is_local(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return !url.starts_with("http:") && !url.starts_with("https:");
    };
    if !matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp") {
        return true;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// chromedriver's log endpoint (a Selenium extension it implements).
#[derive(Debug)]
struct PerformanceLog;

impl fantoccini::wd::WebDriverCompatibleCommand for PerformanceLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"performance"}"#.to_string()),
        )
    }
}

fn which(program: &str) -> Option<String> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| format!("{dir}/{program}"))
        .find(|p| std::path::Path::new(p).is_file())
}

/// A Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`), e.g. to take
/// the browser offline with `Network.emulateNetworkConditions`.
#[derive(Debug)]
pub struct Cdp {
    pub cmd: &'static str,
    pub params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// Takes the page's network down (`true`) or up again: requests fail as on a dropped line.
    pub async fn offline(&self, offline: bool) {
        self.client
            .issue_cmd(Cdp {
                cmd: "Network.enable",
                params: serde_json::json!({}),
            })
            .await
            .expect("Network.enable");
        self.client
            .issue_cmd(Cdp {
                cmd: "Network.emulateNetworkConditions",
                params: serde_json::json!({
                    "offline": offline, "latency": 0,
                    "downloadThroughput": -1, "uploadThroughput": -1,
                }),
            })
            .await
            .expect("Network.emulateNetworkConditions");
    }

    /// Presses keys on whatever has the focus, as a keyboard does.
    pub async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .expect("an active element")
            .send_keys(keys)
            .await
            .expect("send keys");
    }

    /// The id of the element that has the focus (empty for none or the body).
    pub async fn focused(&self) -> String {
        self.eval("const a = document.activeElement; return a && a !== document.body ? (a.id || a.tagName) : ''")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until a script returns true, or fails with what the page shows.
    pub async fn wait_until(&self, js: &str, what: &str) {
        for _ in 0..200 {
            if self.eval(js).await == serde_json::Value::Bool(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let page = self.eval("return document.body.innerText").await;
        let page: String = page
            .as_str()
            .unwrap_or_default()
            .chars()
            .take(3000)
            .collect();
        panic!("never saw {what}; the page shows:\n{page}");
    }

    /// The page fits the window: nothing to scroll sideways.
    pub async fn assert_fits_width(&self, page: &str) {
        let fits = self
            .eval("return [document.documentElement.scrollWidth, window.innerWidth]")
            .await;
        let (scroll, inner) = (fits[0].as_f64().unwrap(), fits[1].as_f64().unwrap());
        assert!(
            scroll <= inner,
            "{page} is wider ({scroll} px) than the window ({inner} px)"
        );
    }
}

/// WebDriver's "Get Computed Label": the accessible name Chromium computes for an element.
#[derive(Debug)]
struct ComputedLabel(String);

impl fantoccini::wd::WebDriverCompatibleCommand for ComputedLabel {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/element/{}/computedlabel",
            session.unwrap_or_default(),
            self.0
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::GET, None)
    }
}

impl Browser {
    /// The accessible name of every element matching `css`, as (id, name), from Chromium's own
    /// accessibility tree (what a screen reader announces).
    pub async fn accessible_names(&self, css: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for el in self
            .client
            .find_all(fantoccini::Locator::Css(css))
            .await
            .unwrap()
        {
            let id = el.attr("id").await.unwrap().unwrap_or_default();
            let name = self
                .client
                .issue_cmd(ComputedLabel(el.element_id().to_string()))
                .await
                .expect("computed label");
            out.push((id, name.as_str().unwrap_or_default().to_string()));
        }
        out
    }
}
/// `shared/data/<rel>` (public sample data next to the checkout, see its README).
pub fn shared(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("shared/data").join(rel))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("shared data {rel} not found"))
}
