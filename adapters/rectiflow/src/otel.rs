//! Traces exported over OTLP/HTTP (protobuf) when an endpoint is given (`--otlp-endpoint`, or
//! `RECTIFLOW_OTLP_ENDPOINT`): every `tracing` span becomes an OpenTelemetry span, and an API
//! request's span continues the caller's W3C trace ([`crate::api::trace`]), so one trace
//! follows a command from the API into the events it records and on to every subscriber. Off
//! by default: nothing is sent anywhere unless asked.
//!
//! The exporter posts through this process's reqwest client (the one webhooks use) rather
//! than a second HTTP stack. The SDK's batch processor exports from a thread of its own, off
//! the async runtime, so each post is spawned onto the runtime the exporter was made on.

use std::time::Duration;

use async_trait::async_trait;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::trace::{SdkTracerProvider, Tracer};
use opentelemetry_sdk::Resource;

/// How long one export may take.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

/// The exporting pipeline: its tracer for the `tracing` layer, and the provider to flush at exit.
pub struct Exporting {
    pub tracer: Tracer,
    provider: SdkTracerProvider,
}

impl Exporting {
    /// A pipeline posting to `endpoint` (the collector's base URL, e.g.
    /// `http://127.0.0.1:4318`; spans go to `/v1/traces` under it). Must be called on the
    /// async runtime that will carry the posts.
    pub fn new(endpoint: &str) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(EXPORT_TIMEOUT)
            .build()
            .map_err(|e| format!("the OTLP exporter's HTTP client: {e}"))?;
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| "the OTLP exporter needs the async runtime".to_owned())?;
        let exporter = SpanExporter::builder()
            .with_http()
            .with_http_client(Posting { client, runtime })
            .with_protocol(Protocol::HttpBinary)
            .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
            .build()
            .map_err(|e| format!("the OTLP exporter: {e}"))?;
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(Resource::builder().with_service_name("rectiflow").build())
            .build();
        let tracer = provider.tracer("rectiflow");
        Ok(Self { tracer, provider })
    }

    /// Exports what is still buffered and stops (at exit).
    pub async fn shutdown(self) {
        let provider = self.provider;
        let flushed = tokio::task::spawn_blocking(move || provider.shutdown()).await;
        if let Ok(Err(error)) = flushed {
            eprintln!("rectiflow: the last traces could not be exported: {error}");
        }
    }
}

/// reqwest, driven on the runtime it belongs to.
#[derive(Debug)]
struct Posting {
    client: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

#[async_trait]
impl HttpClient for Posting {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let client = self.client.clone();
        let (parts, body) = request.into_parts();
        let posted = self.runtime.spawn(async move {
            let response = client
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, body))
        });
        let (status, headers, body) = posted.await??;
        let mut response = Response::builder().status(status).body(body)?;
        *response.headers_mut() = headers;
        Ok(response)
    }
}
