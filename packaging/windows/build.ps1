# Build the Windows onedir with PyInstaller, smoke-test it, then the Inno Setup installer.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#   ... -Python C:\path\to\python.exe   interpreter with the app's deps and PyInstaller
#                                        (default .venv\Scripts\python.exe)
#   ... -SkipInstaller                   only the onedir (dist\retouch\)
#   ... -Iscc "C:\...\ISCC.exe"          Inno Setup 6 compiler, if not on PATH or in the
#                                        default install folder
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
Write-Host "==> building Retouch $Version"

$sw = [Diagnostics.Stopwatch]::StartNew()
& $Python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller packaging\retouch.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }
$sw.Stop()

$Cli = Join-Path $Root "dist\retouch\retouch-cli.exe"
$Gui = Join-Path $Root "dist\retouch\Retouch.exe"
foreach ($exe in @($Cli, $Gui)) { if (-not (Test-Path $exe)) { throw "missing $exe" } }

# Smoke tests with no Python reachable: PATH holds only Windows itself.
$savedPath = $env:PATH
$env:PATH = "$env:SystemRoot\System32;$env:SystemRoot"
try {
    $out = & $Cli --version
    if ($LASTEXITCODE -or $out -ne "retouch $Version") { throw "retouch-cli --version printed '$out'" }
    Write-Host "    $out"
    if ((& $Cli --help) -match "self-test") {
        $env:QT_QPA_PLATFORM = "offscreen"
        & $Cli --self-test
        if ($LASTEXITCODE) { throw "retouch-cli --self-test failed" }
        Remove-Item Env:QT_QPA_PLATFORM
    }
} finally {
    $env:PATH = $savedPath
}

$bytes = (Get-ChildItem -Recurse -File dist\retouch | Measure-Object -Sum Length).Sum
Write-Host ("==> dist\retouch: {0:N0} bytes ({1:N1} MiB), PyInstaller {2:N0} s" -f $bytes, ($bytes / 1MB), $sw.Elapsed.TotalSeconds)

if ($SkipInstaller) { return }
if (-not $Iscc) {
    $cmd = Get-Command iscc.exe -ErrorAction SilentlyContinue
    if ($cmd) { $Iscc = $cmd.Source }
    else { $Iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
}
if (-not (Test-Path $Iscc)) { throw "Inno Setup 6 not found (winget install JRSoftware.InnoSetup, or pass -Iscc)" }
& $Iscc "/DAppVersion=$Version" "packaging\windows\retouch.iss"
if ($LASTEXITCODE) { throw "Inno Setup failed" }
Get-ChildItem "dist\Retouch-$Version-windows-x64-setup.exe"
