// The live page of the kernel's tables, served at /kernel by KernelSite: plain HTML and
// JavaScript, no external resource, polling /kernel/state.json every second and drawing the
// frame table (a canvas, one cell per frame coloured by its reference count; frames that
// changed since the last poll outlined), the environments with their status bits and time
// slots, and the disk's blocks. ASCII only (sent one byte per char).
namespace ExoSharp.Apps.Cheetah
{
    internal static class KernelPage
    {
        public const string Html = @"<!DOCTYPE html>
<html lang='en'><head><meta charset='utf-8'><title>ExoSharp: the kernel's tables</title>
<style>
body{font:14px monospace;background:#111;color:#ddd;margin:1em}
h1{font-size:18px}h2{font-size:15px;margin:1em 0 .3em}
canvas{image-rendering:pixelated;border:1px solid #444}
table{border-collapse:collapse}td,th{padding:1px 8px;text-align:right}th{color:#999}
.key span{display:inline-block;width:10px;height:10px;margin:0 3px 0 10px}
.slot{display:inline-block;padding:2px 5px;margin:2px;background:#264;border-radius:3px}
#note{color:#999}
</style></head><body>
<h1>ExoSharp: the kernel's tables, live</h1>
<div id='status'>waiting for /kernel/state.json</div>
<h2>Frames (one cell per physical frame, by reference count)</h2>
<div class='key' id='fkey'></div>
<canvas id='frames' width='512' height='512'></canvas>
<div id='fsum'></div>
<h2>Environments</h2>
<table id='envs'></table>
<h2>Time slots</h2>
<div id='slots'></div>
<h2>Disk blocks (the buffer-cache registry)</h2>
<div class='key' id='dkey'></div>
<canvas id='disk' width='512' height='64'></canvas>
<div id='dsum'></div>
<h2>Not published by the kernel</h2>
<div id='note'></div>
<script>
'use strict';
var fcol=['#262626','#3b3','#39f','#f93','#f3f'];
var fname=['free or kernel','1 reference','2','3-7','8 or more'];
var dcol=['#262626','#567','#3b3','#f33','#aa3'];
var dname=['free','on disk','in core','dirty','reserved or pending'];
var bits=['Live','Runnable','Waiting','Calling','Ended','Predicate','HasSlot','Disk'];
var last=null;
function key(id,cols,names){var h='';for(var i=0;i<cols.length;i++)h+='<span style=""background:'+cols[i]+'""></span>'+names[i];document.getElementById(id).innerHTML=h;}
key('fkey',fcol,fname);key('dkey',dcol,dname);
function fclass(c){return c==0?0:c==1?1:c==2?2:c<8?3:4;}
function expand(runs,n){var a=new Uint16Array(n),at=0;for(var i=0;i+1<runs.length;i+=2){a.fill(runs[i],at,at+runs[i+1]);at+=runs[i+1];}return a;}
function draw(canvas,values,count,colour,prev){
  var cols=256,rows=Math.ceil(count/cols),cell=Math.max(1,Math.min(4,Math.floor(1024/rows)));
  canvas.width=cols*cell;canvas.height=Math.max(cell,rows*cell);
  var g=canvas.getContext('2d');g.fillStyle='#000';g.fillRect(0,0,canvas.width,canvas.height);
  for(var i=0;i<count;i++){g.fillStyle=colour(values[i]);g.fillRect((i%cols)*cell,Math.floor(i/cols)*cell,cell,cell);}
  if(prev){g.strokeStyle='#fff';for(var j=0;j<count;j++)if(prev[j]!=values[j])g.strokeRect((j%cols)*cell+.5,Math.floor(j/cols)*cell+.5,Math.max(cell-1,1),Math.max(cell-1,1));}
}
function status(s){var t=[];for(var i=0;i<bits.length;i++)if(s&(1<<i))t.push(bits[i]);return t.join(' ');}
function show(s){
  var f=s.frames,v=expand(f.runs,f.count),changed=0;
  if(last&&last.length==v.length)for(var i=0;i<v.length;i++)if(last[i]!=v[i])changed++;
  draw(document.getElementById('frames'),v,f.count,function(c){return fcol[fclass(c)];},last&&last.length==v.length?last:null);
  document.getElementById('fsum').textContent=f.count+' frames, '+f.held+' held ('+(f.held*4/1024).toFixed(1)+' MiB), '+changed+' changed since the last poll'+(f.truncated?'; runs truncated after frame '+f.covered:'');
  last=v;
  var h='<tr><th>id</th><th>index</th><th>parent</th><th>callee</th><th style=""text-align:left"">status</th></tr>';
  for(var k=0;k<s.envs.length;k++){var e=s.envs[k];h+='<tr><td>'+e[0]+'</td><td>'+(e[0]%4096)+'</td><td>'+e[1]+'</td><td>'+(e[3]||'')+'</td><td style=""text-align:left"">'+status(e[2])+'</td></tr>';}
  document.getElementById('envs').innerHTML=h+'<tr><td colspan=5 style=""text-align:left"">'+s.envs.length+' live, '+s.ended+' ended rows kept</td></tr>';
  var sl='';for(var m=0;m<s.envs.length;m++)if(s.envs[m][2]&64)sl+='<span class=""slot"">env '+s.envs[m][0]+'</span>';
  document.getElementById('slots').innerHTML=s.slotted+' environments own a time slot '+sl+'<br>(which of the 1,024 slots each owns is not published)';
  if(s.disk){var d=s.disk,dv=expand(d.runs,d.blocks);draw(document.getElementById('disk'),dv,d.blocks,function(c){return dcol[c];},null);
    var t=[];for(var q=0;q<5;q++)t.push(dname[q]+' '+d.classes[q]);document.getElementById('dsum').textContent=d.blocks+' blocks: '+t.join(', ');}
  else document.getElementById('dsum').textContent='no XN disk';
  document.getElementById('note').textContent=s.unpublished.join(', ');
  document.getElementById('status').textContent='tick '+s.ticks+' ('+(s.ticks/s.hz).toFixed(1)+' s since boot), polled '+new Date().toLocaleTimeString();
}
function poll(){fetch('/kernel/state.json',{cache:'no-store'}).then(function(r){return r.json();}).then(show).catch(function(e){document.getElementById('status').textContent='error: '+e;}).then(function(){setTimeout(poll,1000);});}
poll();
</script></body></html>
";
    }
}
