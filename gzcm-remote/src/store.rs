//! Building an `object_store` client for a URL: scheme-specific builder, environment,
//! explicit options, timeouts and retries.

use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::http::HttpBuilder;
use object_store::path::Path;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, ObjectStoreScheme, RetryConfig};
use url::Url;

use crate::error::RemoteError;
use crate::options::RemoteOptions;

/// A client for the store holding `location`, and the object's path in it.
pub(crate) fn store_for(
    location: &str,
    options: &RemoteOptions,
) -> Result<(Arc<dyn ObjectStore>, Path), RemoteError> {
    let bad = |reason: String| RemoteError::BadUrl { url: location.to_owned(), reason };
    let url = Url::parse(location).map_err(|e| bad(e.to_string()))?;
    let (scheme, path) = ObjectStoreScheme::parse(&url).map_err(|e| bad(e.to_string()))?;
    if path.as_ref().is_empty() {
        return Err(bad("it names no object (the key is empty)".to_owned()));
    }
    // Nothing waits longer than the overall timeout, whatever the finer settings say.
    let mut client = ClientOptions::new()
        .with_connect_timeout(options.connect_timeout.min(options.timeout))
        .with_timeout(options.request_timeout.min(options.timeout));
    let endpoint = options.endpoint.clone();
    // The client options set here replace those `from_env` read, so plain HTTP is allowed
    // from the same signals: an http:// endpoint (given or in the environment) or
    // `AWS_ALLOW_HTTP` / `AZURE_ALLOW_HTTP`.
    let env_is = |key: &str, test: &dyn Fn(&str) -> bool| std::env::var(key).is_ok_and(|v| test(&v));
    let truthy = |v: &str| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on");
    let http = |v: &str| v.starts_with("http://");
    let allow_http = scheme == ObjectStoreScheme::Http
        || endpoint.as_deref().is_some_and(http)
        || ["AWS_ENDPOINT_URL", "AWS_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AZURE_ENDPOINT"]
            .iter()
            .any(|k| env_is(k, &http))
        || ["AWS_ALLOW_HTTP", "AZURE_ALLOW_HTTP"].iter().any(|k| env_is(k, &truthy));
    if allow_http {
        client = client.with_allow_http(true);
    }
    let retry = RetryConfig {
        backoff: BackoffConfig::default(),
        max_retries: options.max_retries,
        retry_timeout: options.retry_timeout.min(options.timeout),
    };
    let config = options.config.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let store_error = |e| RemoteError::store(location, "configure the store", e);
    let store: Arc<dyn ObjectStore> = match scheme {
        ObjectStoreScheme::AmazonS3 => {
            let mut builder =
                AmazonS3Builder::from_env().with_url(location).with_client_options(client).with_retry(retry);
            for (key, value) in config {
                builder = builder.with_config(key.parse().map_err(store_error)?, value);
            }
            if let Some(endpoint) = endpoint {
                builder = builder.with_endpoint(endpoint);
            }
            Arc::new(builder.build().map_err(store_error)?)
        }
        ObjectStoreScheme::GoogleCloudStorage => {
            let mut builder = GoogleCloudStorageBuilder::from_env()
                .with_url(location)
                .with_client_options(client)
                .with_retry(retry);
            for (key, value) in config {
                builder = builder.with_config(key.parse().map_err(store_error)?, value);
            }
            Arc::new(builder.build().map_err(store_error)?)
        }
        ObjectStoreScheme::MicrosoftAzure => {
            let mut builder = MicrosoftAzureBuilder::from_env()
                .with_url(location)
                .with_client_options(client)
                .with_retry(retry);
            for (key, value) in config {
                builder = builder.with_config(key.parse().map_err(store_error)?, value);
            }
            if let Some(endpoint) = endpoint {
                builder = builder.with_endpoint(endpoint);
            }
            Arc::new(builder.build().map_err(store_error)?)
        }
        ObjectStoreScheme::Http => {
            let base = &url[..url::Position::BeforePath];
            let builder = HttpBuilder::new().with_url(base);
            Arc::new(builder.with_client_options(client).with_retry(retry).build().map_err(store_error)?)
        }
        _ => return Err(bad(format!("the `{}` scheme is not an object store", url.scheme()))),
    };
    Ok((store, path))
}
