//! The service as a user meets it: started on a random port, answering over HTTP.
#![allow(clippy::unwrap_used)]

use rectiflow::{Application, Config};
use rectiflow_store::CancellationToken;

async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the service");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("send the request");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .await
        .expect("read the response");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("an HTTP status line");
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    (status, body)
}

async fn serves_health_on(database_url: String) {
    let config = Config {
        database_url,
        ..Config::default()
    };
    let app = Application::build(config)
        .await
        .expect("build the application");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let addr = listener.local_addr().expect("the bound address");
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(app.run(listener, shutdown.clone()));
    let (status, body) = get(addr, "/healthz").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    let (status, body) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    assert!(body.contains("rectiflow_log_head_position 0"), "{body}");
    shutdown.cancel();
    server
        .await
        .expect("the server task")
        .expect("the server stopped cleanly");
}

#[tokio::test]
async fn sqlite_service_answers_health_and_stops_on_signal() {
    let dir = tempfile::tempdir().expect("temporary folder");
    serves_health_on(format!("sqlite://{}", dir.path().join("r.db").display())).await;
}

#[tokio::test]
async fn postgres_service_answers_health_and_metrics() {
    let Some(db) = rectiflow_store::testing::fresh_postgres_db().await else {
        return;
    };
    serves_health_on(db.url.clone()).await;
}
