# envgen env --format sh: source this file (. ./file) in sh, bash or zsh
export PIP_TIMEOUT='60'
export PIP_RETRIES='3'
export npm_config_fetch_retries='3'
export npm_config_fetch_retry_factor='2'
export npm_config_fetch_retry_mintimeout='1000'
export npm_config_fetch_retry_maxtimeout='30000'
export npm_config_fetch_timeout='60000'
