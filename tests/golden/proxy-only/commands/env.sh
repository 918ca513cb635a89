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
export npm_config_fetch_timeout='300000'
export GIT_CONFIG_COUNT='2'
export GIT_CONFIG_KEY_0='http.lowSpeedLimit'
export GIT_CONFIG_VALUE_0='1'
export GIT_CONFIG_KEY_1='http.lowSpeedTime'
export GIT_CONFIG_VALUE_1='2'
