//! Real HTTP/2 (h2c, prior knowledge) over a loopback socket: the host is the `:authority`, no
//! `Host` header is needed, and a `Host` that disagrees with the authority is refused.

use actix_allow_cidr::AllowedHosts;
use actix_web::{App, HttpResponse, HttpServer, web};

#[actix_web::test]
async fn authority_is_the_host_over_http2() {
    let allowed = AllowedHosts::builder()
        .host("www.example.com")
        .net("10.0.0.0/8")
        .build()
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = HttpServer::new(move || {
        App::new()
            .wrap(allowed.clone())
            .default_service(web::to(|| async { HttpResponse::Ok().body("ok") }))
    })
    .workers(1)
    .disable_signals()
    .listen_auto_h2c(listener)
    .unwrap()
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let tcp = actix_web::rt::net::TcpStream::connect(addr).await.unwrap();
    let (mut client, connection) = h2::client::handshake(tcp).await.unwrap();
    actix_web::rt::spawn(async move {
        let _ = connection.await;
    });

    let cases: [(&str, Option<&str>, u16); 6] = [
        ("10.1.2.3:8000", None, 200),
        ("www.example.com", None, 200),
        ("WWW.Example.com.:443", None, 200),
        ("evil.com", None, 400),
        ("www.example.com", Some("www.example.com"), 200),
        // Both allowed, but they disagree: refused.
        ("www.example.com", Some("10.1.2.3"), 400),
    ];
    for (authority, host, expected) in cases {
        let mut request = http::Request::get(format!("http://{authority}/path?q=1"));
        if let Some(host) = host {
            request = request.header("host", host);
        }
        let request = request.body(()).unwrap();
        let (response, _) = client.send_request(request, true).unwrap();
        let response = response.await.unwrap();
        assert_eq!(response.version(), http::Version::HTTP_2);
        assert_eq!(response.status().as_u16(), expected, "{authority} {host:?}");
    }
    handle.stop(false).await;
}
