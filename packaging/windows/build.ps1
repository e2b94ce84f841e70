# Build the Windows onedir with PyInstaller, smoke-test it, sign it, then the Inno Setup
# installer (signed too).
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#   ... -Python C:\path\to\python.exe   interpreter with the app's deps and PyInstaller
#                                        (default .venv\Scripts\python.exe)
#   ... -SkipInstaller                   only the onedir (dist\retouch\)
#   ... -Iscc "C:\...\ISCC.exe"          Inno Setup 6.3+ compiler, if not on PATH or in the
#                                        default install folder
#
# Signing (Authenticode) happens when these are set, and the log says so when they are not:
#   WINDOWS_CERTIFICATE_PATH      a .pfx code-signing certificate (with its private key)
#   WINDOWS_CERTIFICATE_PASSWORD  its password
#   WINDOWS_TIMESTAMP_URL         RFC 3161 timestamp server (default http://timestamp.digicert.com)
#
# Output: dist\retouch\Retouch.exe (windowed), dist\retouch\retouch-cli.exe (console) and
# dist\Retouch-<version>-windows-x64-setup.exe.
[CmdletBinding()]
param(
    [string]$Python = ".venv\Scripts\python.exe",
    [switch]$SkipInstaller,
    [string]$Iscc = ""
)
$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root

$Version = & $Python -c "import sys; sys.path.insert(0, 'packaging'); import pyi_common; print(pyi_common.version())"
if ($LASTEXITCODE) { throw "could not read the version with $Python" }
$Numeric = & $Python -c "import sys; sys.path.insert(0, 'packaging'); import pyi_common; print('.'.join(map(str, pyi_common.windows_numeric_version(pyi_common.version()))))"
if ($LASTEXITCODE) { throw "$Version has no Windows numeric form (see pyi_common.windows_numeric_version)" }
Write-Host "==> building Retouch $Version (Windows version $Numeric)"

$sw = [Diagnostics.Stopwatch]::StartNew()
& $Python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller packaging\retouch.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }
$sw.Stop()

$Cli = Join-Path $Root "dist\retouch\retouch-cli.exe"
$Gui = Join-Path $Root "dist\retouch\Retouch.exe"
foreach ($exe in @($Cli, $Gui)) { if (-not (Test-Path $exe)) { throw "missing $exe" } }

# -- smoke tests with no Python reachable: PATH holds only Windows itself ----------------------
function Invoke-Frozen([string[]]$Arguments, [hashtable]$Environment = @{}) {
    $ErrorActionPreference = "Continue"  # the app's stderr is output here, not an error
    $saved = @{ PATH = $env:PATH }
    $env:PATH = "$env:SystemRoot\System32;$env:SystemRoot"
    foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
    try {
        $out = & $Cli @Arguments 2>&1 | Out-String
        return @{ Code = $LASTEXITCODE; Out = $out.Trim() }
    } finally {
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    }
}

$r = Invoke-Frozen @("--version")
if ($r.Code -or $r.Out -ne "retouch $Version") { throw "retouch-cli --version printed '$($r.Out)'" }
Write-Host "    $($r.Out)"

Write-Host "==> smoke test: retouch-cli --self-test"
$r = Invoke-Frozen @("--self-test") @{ QT_QPA_PLATFORM = "offscreen" }
Write-Host $r.Out
if ($r.Code) { throw "retouch-cli --self-test failed" }

# The first window on the native platform plugin (qwindows): the app quits once its main
# window has painted and says which plugin drew it.
function Test-NativeWindow {
    $data = Join-Path ([IO.Path]::GetTempPath()) ("retouch-window-" + [Guid]::NewGuid())
    $r = Invoke-Frozen @("--demo") @{ RETOUCH_EXIT_AFTER_FIRST_PAINT = "1"; RETOUCH_DATA_DIR = $data; QT_QPA_PLATFORM = $null }
    Remove-Item -Recurse -Force $data -ErrorAction SilentlyContinue
    if ($r.Code -or $r.Out -notmatch "first-paint \S+ platform=windows") { throw "the native window test failed: $($r.Out)" }
    Write-Host "    platform=windows: main window painted and closed"
}
Write-Host "==> smoke test: the first window on the windows platform plugin"
Test-NativeWindow

$bytes = (Get-ChildItem -Recurse -File dist\retouch | Measure-Object -Sum Length).Sum
Write-Host ("==> dist\retouch: {0:N0} bytes ({1:N1} MiB), PyInstaller {2:N0} s" -f $bytes, ($bytes / 1MB), $sw.Elapsed.TotalSeconds)

# -- Authenticode ---------------------------------------------------------------------------------
$Sign = $env:WINDOWS_CERTIFICATE_PATH -and (Test-Path $env:WINDOWS_CERTIFICATE_PATH)
$Timestamp = if ($env:WINDOWS_TIMESTAMP_URL) { $env:WINDOWS_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }
$SignTool = $null
if ($Sign) {
    $SignTool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" -ErrorAction SilentlyContinue |
        Sort-Object FullName -Descending | Select-Object -First 1 -ExpandProperty FullName
    if (-not $SignTool) { throw "signtool.exe not found (Windows SDK)" }
    Write-Host "==> signing Retouch.exe and retouch-cli.exe with $SignTool"
    & $SignTool sign /fd SHA256 /td SHA256 /tr $Timestamp /f $env:WINDOWS_CERTIFICATE_PATH /p $env:WINDOWS_CERTIFICATE_PASSWORD $Gui $Cli
    if ($LASTEXITCODE) { throw "signtool failed" }
    & $SignTool verify /pa /v $Gui $Cli | Out-Null
    if ($LASTEXITCODE) { throw "the signatures do not verify" }
    Write-Host "==> smoke test: the signed executables"
    Test-NativeWindow
} else {
    Write-Host "::warning::NOT SIGNED: WINDOWS_CERTIFICATE_PATH is not set; SmartScreen and Smart App Control will warn about or block these executables"
}

if ($SkipInstaller) { return }

# -- the installer ---------------------------------------------------------------------------------
if (-not $Iscc) {
    $cmd = Get-Command iscc.exe -ErrorAction SilentlyContinue
    if ($cmd) { $Iscc = $cmd.Source }
    else { $Iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
}
if (-not (Test-Path $Iscc)) { throw "Inno Setup 6.3+ not found (choco install innosetup, or pass -Iscc)" }
$IsccVersion = [version](Get-Item $Iscc).VersionInfo.ProductVersion.Split(" ")[0]
if ($IsccVersion -lt [version]"6.3.0") { throw "Inno Setup $IsccVersion is too old: 6.3 or newer is needed" }
Write-Host "==> Inno Setup $IsccVersion"

$IsccArgs = @("/DAppVersion=$Version", "/DAppVersionNumeric=$Numeric")
if ($Sign) {
    $IsccArgs += "/Sretouchsign=`"$SignTool`" sign /fd SHA256 /td SHA256 /tr $Timestamp /f `"$($env:WINDOWS_CERTIFICATE_PATH)`" /p `"$($env:WINDOWS_CERTIFICATE_PASSWORD)`" `$f"
    $IsccArgs += "/DSignTool=retouchsign"
}
& $Iscc @IsccArgs "packaging\windows\retouch.iss"
if ($LASTEXITCODE) { throw "Inno Setup failed" }
$Setup = "dist\Retouch-$Version-windows-x64-setup.exe"
if ($Sign) {
    & $SignTool verify /pa $Setup | Out-Null
    if ($LASTEXITCODE) { throw "the installer's signature does not verify" }
}
& $Python packaging\check_version.py --artifact $Setup
if ($LASTEXITCODE) { throw "version mismatch" }
Get-Item $Setup
