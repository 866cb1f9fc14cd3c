# bash completion for k8tls-wizard                                     -*- shell-script -*-
# Installed as $(datadir)/bash-completion/completions/k8tls-wizard; works with or without the
# bash-completion package (it uses only compgen/complete). Completes the options, the commands
# (inspect, rotate, doctor), theme names after --theme, kube contexts after --context (from
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
    local i kc="" w
    local -a ws=("${_k8tls_wizard_kc_words[@]}")
    for ((i = 1; i < ${#ws[@]}; i++)); do
        w=${ws[i]}
        if [[ $w == --kubeconfig ]]; then
            kc=${ws[i + 1]-}
        elif [[ $w == --kubeconfig=* ]]; then
            kc=${w#--kubeconfig=}
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
    # Words from the line up to the cursor, split on blanks only, so that "--dry-run=se" and
    # "env:KS_" are whole words whatever COMP_WORDBREAKS holds (bash splits on '=' and ':').
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    read -r -a words <<<"$line"
    [[ -z $line || $line == *[[:blank:]] ]] && words+=("")
    local n=${#words[@]}
    local cur=${words[n - 1]} prev=""
    ((n > 1)) && prev=${words[n - 2]}
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    fi
    _k8tls_wizard_kc_words=("${words[@]}")

    # One word per line (the lists are split on newlines only).
    local opts
    opts=$(printf '%s\n' --answers --defaults --print-answers --output --force \
        --create-namespace --client-files --output-mode --apply --context --kubeconfig --dry-run=server --diff \
        --force-conflicts --tui --theme --no-color --help --version)
    local inspect_opts rotate_opts doctor_opts
    inspect_opts=$(printf '%s\n' --password --help)
    doctor_opts=$(printf '%s\n' --context --namespace --kubeconfig --crd --expiring --strict \
        --output --help)
    rotate_opts=$(printf '%s\n' --from --from-context --answers --phase --ca-key \
        --ca-key-password --new-passwords --force --output --quiet --apply --context \
        --kubeconfig --dry-run=server --diff --force-conflicts --help)
    COMPREPLY=()

    # The command (first non-option word), if any.
    local i cmd=""
    for ((i = 1; i < n - 1; i++)); do
        case ${words[i]} in
            inspect | rotate | doctor) cmd=${words[i]}; break ;;
        esac
    done

    case $prev in
        --theme)
            _k8tls_wizard_words "$(_k8tls_wizard_themes)" "$cur"
            [[ $cur == */* || $cur == .* || ${#COMPREPLY[@]} -eq 0 ]] &&
                COMPREPLY+=($(compgen -f -- "$cur"))
            ;;
        --context | --from-context)
            _k8tls_wizard_words "$(_k8tls_wizard_contexts)" "$cur" ;;
        --phase)
            _k8tls_wizard_words $'renew\ntrust\nreissue\nretire' "$cur" ;;
        --dry-run)
            _k8tls_wizard_words "server" "$cur" ;;
        --output-mode)
            _k8tls_wizard_words $'files\ncert-manager' "$cur" ;;
        --output | -o)
            if [[ $cmd == doctor ]]; then
                _k8tls_wizard_words $'text\njson' "$cur"
            else
                COMPREPLY=($(compgen -d -- "$cur"))
            fi
            ;;
        --expiring | --namespace) ;;
        --answers | --kubeconfig | --ca-key | --crd)
            COMPREPLY=($(compgen -f -- "$cur")) ;;
        --from)
            COMPREPLY=($(compgen -d -- "$cur")) ;;
        --password | -p | --ca-key-password)
            # a reference: env:NAME (variable names) or file:PATH (files)
            if [[ $cur == env:* ]]; then
                COMPREPLY=($(compgen -P env: -e -- "${cur#env:}"))
            elif [[ $cur == file:* ]]; then
                COMPREPLY=($(compgen -P file: -f -- "${cur#file:}"))
            else
                _k8tls_wizard_words $'env:\nfile:' "$cur"
                compopt -o nospace 2>/dev/null
            fi
            ;;
        *)
            case $cmd in
                inspect)
                    if [[ $cur == -* ]]; then
                        _k8tls_wizard_words "$inspect_opts" "$cur"
                    else
                        COMPREPLY=($(compgen -f -- "$cur"))
                    fi
                    ;;
                rotate)
                    [[ $cur == -* ]] && _k8tls_wizard_words "$rotate_opts" "$cur" ;;
                doctor)
                    if [[ $cur == -* ]]; then
                        _k8tls_wizard_words "$doctor_opts" "$cur"
                    else
                        COMPREPLY=($(compgen -f -- "$cur"))
                    fi
                    ;;
                *)
                    if [[ $cur == -* ]]; then
                        _k8tls_wizard_words "$opts" "$cur"
                    elif ((n == 2)); then
                        _k8tls_wizard_words $'inspect\nrotate\ndoctor' "$cur"
                    fi
                    ;;
            esac
            ;;
    esac

    # bash replaces only the part of the word after the last break character ('=' in
    # "--dry-run=se", ':' in "env:KS"): drop that prefix from the candidates.
    local word=${words[n - 1]} cut=""
    local wb=${COMP_WORDBREAKS-$' \t\n"\'><=;|&(:'}
    for ((i = ${#word} - 1; i >= 0; i--)); do
        if [[ $wb == *"${word:i:1}"* ]]; then
            cut=${word:0:i+1}
            break
        fi
    done
    if [[ -n $cut ]]; then
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=${COMPREPLY[i]#"$cut"}
        done
    fi
    return 0
}

complete -F _k8tls_wizard k8tls-wizard
