# Sourced by scripts/examples-check.sh and scripts/new-user-check.sh: reads the
# fenced code blocks of a Markdown file (README.md, templates/**), so that what
# the docs show is what the checks run.
#
# Two HTML comments, on the line before a fence (blank lines between are
# allowed), mark blocks; the registry and GitHub do not show them:
#   <!-- fragment ... -->  an HCL snippet that is part of a configuration
#                          (`# ...` for the rest): formatted, not validated
#   <!-- check: NAME -->   a block the checks run or use by NAME
#
#   source scripts/md-blocks.sh
#   md_snippets README.md "$dir"     # each ```hcl / ```terraform block as $dir/<line>.{snippet,fragment}.tf
#   md_block README.md dev-overrides # prints the block marked <!-- check: dev-overrides -->

# md_snippets FILE DIR writes each ```hcl or ```terraform block of FILE to
# DIR/<line of its fence>.snippet.tf, or .fragment.tf when marked a fragment,
# without the indentation of its fence (blocks inside list items).
md_snippets() {
  local file=$1 dir=$2 n=0 line prev="" start="" kind="" indent=""
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    if [[ -z $start ]]; then
      if [[ $line =~ ^([[:space:]]*)\`\`\`(hcl|terraform)[[:space:]]*$ ]]; then
        indent=${BASH_REMATCH[1]} start=$n kind=snippet
        [[ $prev == "<!-- fragment"* ]] && kind=fragment
        : >"$dir/$start.$kind.tf"
      elif [[ $line =~ [^[:space:]] ]]; then
        prev=${line#"${line%%[![:space:]]*}"}
      fi
    elif [[ $line =~ ^[[:space:]]*\`\`\`[[:space:]]*$ ]]; then
      start="" prev=""
    else
      printf '%s\n' "${line#"$indent"}" >>"$dir/$start.$kind.tf"
    fi
  done <"$file"
  [[ -z $start ]] || { echo "md-blocks: $file:$start: the code block never ends" >&2; return 1; }
}

# md_block FILE NAME prints the block after <!-- check: NAME --> in FILE, and
# fails when there is none.
md_block() {
  local file=$1 name=$2
  awk -v marker="<!-- check: $name -->" '
    found == 1 && /^[[:space:]]*```/ { found = 2; next }
    found == 2 && /^[[:space:]]*```[[:space:]]*$/ { done = 1; exit }
    found == 2 { print; next }
    $0 == marker { found = 1 }
    END { exit done ? 0 : 1 }
  ' "$file" || { echo "md-blocks: $file has no code block marked <!-- check: $name -->" >&2; return 1; }
}
