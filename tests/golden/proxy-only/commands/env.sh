# envgen env --format sh: source this file (. ./file) in sh, bash or zsh
export https_proxy="http://${PROXY_USER}:${PROXY_PASSWORD}@proxy.corp.example:8080"
export HTTPS_PROXY="http://${PROXY_USER}:${PROXY_PASSWORD}@proxy.corp.example:8080"
export no_proxy='internal.example,.internal.example,2001:db8::7,[2001:db8::7],fd00::/8,172.16.0.0/12,localhost,.localhost,127.0.0.1,::1,[::1]'
export NO_PROXY='internal.example,.internal.example,2001:db8::7,[2001:db8::7],fd00::/8,172.16.0.0/12,localhost,.localhost,127.0.0.1,::1,[::1]'
export PIP_TIMEOUT='1.5'
export PIP_RETRIES='0'
export npm_config_noproxy='internal.example,[2001:db8::7],localhost,127.0.0.1,[::1]'
export npm_config_fetch_retries='0'
export npm_config_fetch_retry_factor='1.5'
export npm_config_fetch_retry_mintimeout='500'
export npm_config_fetch_retry_maxtimeout='2000'
export npm_config_fetch_timeout='1500'
