# bash completion for k8tls-wizard                                     -*- shell-script -*-
# Installed as $(datadir)/bash-completion/completions/k8tls-wizard; works with or without the
# bash-completion package (it uses only compgen/complete). Completes the options, the commands
# (inspect, rotate), theme names after --theme, kube contexts after --context (from
# `kubectl config get-contexts -o name`, honouring --kubeconfig), files and directories.

_k8tls_wizard_themes()
{
    local d f seen=" " bindir
    local dirs=()
    if [[ -n ${K8TLS_THEMES_DIR-} ]]; then
        dirs=("$K8TLS_THEMES_DIR")        # the same override as the program's
    else
        dirs=("${XDG_CONFIG_HOME:-$HOME/.config}/k8tls-wizard/themes")
        bindir=$(type -P k8tls-wizard 2>/dev/null) && bindir=${bindir%/*} &&
            dirs+=("${bindir%/bin}/share/k8tls-wizard/themes")
        dirs+=(/usr/local/share/k8tls-wizard/themes /usr/share/k8tls-wizard/themes)
    fi
    for d in "${dirs[@]}"; do
        [[ -d $d ]] || continue
        for f in "$d"/*.theme; do
            [[ -e $f ]] || continue
            f=${f##*/}
            f=${f%.theme}
            [[ $seen == *" $f "* ]] && continue
            seen+="$f "
            printf '%s\n' "$f"
        done
    done
}

_k8tls_wizard_contexts()
{
    local i kc=""
    for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
        if [[ ${COMP_WORDS[i]} == --kubeconfig ]]; then
            if [[ ${COMP_WORDS[i + 1]-} == "=" ]]; then
                kc=${COMP_WORDS[i + 2]-}
            else
                kc=${COMP_WORDS[i + 1]-}
            fi
        elif [[ ${COMP_WORDS[i]} == --kubeconfig=* ]]; then
            kc=${COMP_WORDS[i]#--kubeconfig=}
        fi
    done
    kc=${kc/#\~/$HOME}
    type -P kubectl >/dev/null 2>&1 || return 0
    if [[ -n $kc ]]; then
        kubectl --kubeconfig "$kc" config get-contexts -o name 2>/dev/null
    else
        kubectl config get-contexts -o name 2>/dev/null
    fi
}

# Sets COMPREPLY to the words of $1 (newline separated) that start with $2.
_k8tls_wizard_words()
{
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$1" -- "$2"))
}

_k8tls_wizard()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=""
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # One word per line (the lists are split on newlines only).
    local opts
    opts=$(printf '%s\n' --answers --defaults --print-answers --output --force \
        --create-namespace --apply --context --kubeconfig --dry-run=server --diff \
        --force-conflicts --theme --no-color --help --version)
    local inspect_opts rotate_opts
    inspect_opts=$(printf '%s\n' --password --help)
    rotate_opts=$(printf '%s\n' --renew --rotate-ca --stage --days --force --output --help)
    COMPREPLY=()

    # "--opt=value" with '=' in COMP_WORDBREAKS arrives as "--opt" "=" "value".
    if [[ $cur == "=" ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        cur=""
    elif [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    fi

    # The command (first non-option word), if any.
    local i cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            inspect | rotate) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done

    case $prev in
        --theme)
            _k8tls_wizard_words "$(_k8tls_wizard_themes)" "$cur"
            [[ $cur == */* || $cur == .* || ${#COMPREPLY[@]} -eq 0 ]] &&
                COMPREPLY+=($(compgen -f -- "$cur"))
            return 0 ;;
        --context)
            _k8tls_wizard_words "$(_k8tls_wizard_contexts)" "$cur"
            return 0 ;;
        --dry-run)
            _k8tls_wizard_words "server" "$cur"
            return 0 ;;
        --answers | --kubeconfig)
            COMPREPLY=($(compgen -f -- "$cur"))
            return 0 ;;
        --output | -o)
            COMPREPLY=($(compgen -d -- "$cur"))
            return 0 ;;
        --password)
            _k8tls_wizard_words $'env:\nfile:' "$cur"
            compopt -o nospace 2>/dev/null
            return 0 ;;
        --days | --stage)
            return 0 ;;
    esac

    case $cmd in
        inspect)
            if [[ $cur == -* ]]; then
                _k8tls_wizard_words "$inspect_opts" "$cur"
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            return 0 ;;
        rotate)
            if [[ $cur == -* ]]; then
                _k8tls_wizard_words "$rotate_opts" "$cur"
            else
                COMPREPLY=($(compgen -d -- "$cur"))
            fi
            return 0 ;;
    esac

    if [[ $cur == -* ]]; then
        _k8tls_wizard_words "$opts" "$cur"
        # --dry-run=server is one word: no space needed after a lone "--dry-run=".
    elif ((COMP_CWORD == 1)); then
        _k8tls_wizard_words $'inspect\nrotate' "$cur"
    fi
    return 0
}

complete -F _k8tls_wizard k8tls-wizard
